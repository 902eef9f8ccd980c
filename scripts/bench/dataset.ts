// Builds the benchmark's datasets: the real LJSpeech samples tiled to a target length, as LJSpeech (22.05 kHz
// WAV) or as a NeMo manifest of the same audio resampled to 48 kHz FLAC.

import { execFileSync } from 'node:child_process';
import { copyFile, link, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeFile } from '../../src/index.js';

export interface TiledDataset {
  root: string;
  /** Absolute paths of every wav, in manifest order. */
  wavs: string[];
  audioSec: number;
  /** Files per tile: a whole number of tiles keeps a subset's mix of clip lengths the same as the set's. */
  tileSize: number;
  /** True when the wavs are copies (the temp dir is on another file system than the samples). */
  copied: boolean;
}

interface Sample {
  id: string;
  line: string;
  path: string;
  durationSec: number;
}

/** Hard links cost no disk; os.tmpdir() may sit on another file system (EXDEV), then copies. */
async function place(from: string, to: string, copied: { yes: boolean }): Promise<void> {
  if (!copied.yes) {
    try {
      await link(from, to);
      return;
    } catch {
      copied.yes = true;
    }
  }
  await copyFile(from, to);
}

async function readSamples(samplesDir: string): Promise<Sample[]> {
  const manifest = await readFile(join(samplesDir, 'metadata.csv'), 'utf8');
  const samples: Sample[] = [];
  for (const line of manifest.split('\n')) {
    const id = line.split('|')[0]?.trim();
    if (!id) continue;
    const path = join(samplesDir, 'wavs', `${id}.wav`);
    // Decoded with the library itself so the durations are exactly what the audit will count.
    const { audio } = await decodeFile(path);
    samples.push({ id, line, path, durationSec: audio.durationSec });
  }
  if (samples.length === 0) throw new Error(`${samplesDir}/metadata.csv lists no clips`);
  return samples;
}

/** Tiles whole copies of the sample set until it holds at least `targetSec` of audio. */
export async function buildTiledDataset(samplesDir: string, root: string, targetSec: number): Promise<TiledDataset> {
  const samples = await readSamples(samplesDir);
  const tileSec = samples.reduce((s, x) => s + x.durationSec, 0);
  const tiles = Math.max(1, Math.ceil(targetSec / tileSec));
  await mkdir(join(root, 'wavs'), { recursive: true });
  const rows: string[] = [];
  const wavs: string[] = [];
  const copied = { yes: false };
  for (let k = 0; k < tiles; k++) {
    for (const s of samples) {
      const id = `${s.id}_${k}`;
      const dest = join(root, 'wavs', `${id}.wav`);
      await place(s.path, dest, copied);
      rows.push(`${id}|${s.line.slice(s.line.indexOf('|') + 1)}`);
      wavs.push(dest);
    }
  }
  await writeFile(join(root, 'metadata.csv'), rows.join('\n') + '\n');
  return { root, wavs, audioSec: tiles * tileSec, tileSize: samples.length, copied: copied.yes };
}

/** A tiled set listed by a NeMo manifest instead of metadata.csv; `manifest` is the file to audit. */
export interface ManifestDataset extends TiledDataset {
  manifest: string;
}

/**
 * The same samples resampled to `sampleRate` (sox, its default high-quality resampler and dither to 16 bits)
 * and encoded as FLAC, tiled like `buildTiledDataset` and listed in a NeMo manifest (normalized text). The
 * content stays LJSpeech's (nothing above 11 kHz): the bandwidth analyzer flags every clip as upsampled.
 */
export async function buildFlacDataset(
  samplesDir: string,
  root: string,
  targetSec: number,
  sampleRate: number,
): Promise<ManifestDataset> {
  const samples = await readSamples(samplesDir);
  await mkdir(join(root, 'source'), { recursive: true });
  await mkdir(join(root, 'audio'), { recursive: true });
  const encoded = [];
  for (const s of samples) {
    const path = join(root, 'source', `${s.id}.flac`);
    execFileSync('sox', [s.path, '-r', String(sampleRate), '-b', '16', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    const { audio } = await decodeFile(path);
    const fields = s.line.split('|');
    encoded.push({ ...s, path, durationSec: audio.durationSec, text: (fields[2] ?? fields[1]).trim() });
  }
  const tileSec = encoded.reduce((sum, x) => sum + x.durationSec, 0);
  const tiles = Math.max(1, Math.ceil(targetSec / tileSec));
  const lines: string[] = [];
  const wavs: string[] = [];
  const copied = { yes: false };
  for (let k = 0; k < tiles; k++) {
    for (const s of encoded) {
      const rel = `audio/${s.id}_${k}.flac`;
      await place(s.path, join(root, rel), copied);
      lines.push(JSON.stringify({ audio_filepath: rel, text: s.text }));
      wavs.push(join(root, rel));
    }
  }
  const manifest = join(root, 'manifest.json');
  await writeFile(manifest, lines.join('\n') + '\n');
  return { root, manifest, wavs, audioSec: tiles * tileSec, tileSize: samples.length, copied: copied.yes };
}
