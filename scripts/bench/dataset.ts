// Builds the benchmark's dataset: the real LJSpeech samples tiled, in LJSpeech layout, to a target length.

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
  let copied = false;
  for (let k = 0; k < tiles; k++) {
    for (const s of samples) {
      const id = `${s.id}_${k}`;
      const dest = join(root, 'wavs', `${id}.wav`);
      // Hard links cost no disk; os.tmpdir() may sit on another file system (EXDEV), then copy.
      if (!copied) {
        try {
          await link(s.path, dest);
        } catch {
          copied = true;
        }
      }
      if (copied) await copyFile(s.path, dest);
      rows.push(`${id}|${s.line.slice(s.line.indexOf('|') + 1)}`);
      wavs.push(dest);
    }
  }
  await writeFile(join(root, 'metadata.csv'), rows.join('\n') + '\n');
  return { root, wavs, audioSec: tiles * tileSec, tileSize: samples.length, copied };
}
