// Real clips and the mislabelled cases built from them, for the voices tests and scripts/bench-voices.ts.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { voices } from '../../src/analyzers/dataset/voices.js';
import { configSchema } from '../../src/config/schema.js';
import { resample } from '../../src/dsp/resample.js';
import { analyseAudio } from '../../src/pipeline/clip.js';
import type { ClipResult, DecodedAudio, Finding } from '../../src/types.js';
import { metricStats } from '../../src/util/metric-stats.js';
import { decode, facts } from './audio.js';
import { REAL } from './run.js';

export interface RealClip {
  id: string;
  speaker: string;
  gender: 'M' | 'F';
  audio: DecodedAudio;
}

// Genders from the corpora's own labels: VCTK speaker-info.txt; LJSpeech is one woman (Linda Johnson).
const VCTK_GENDER: Record<string, 'M' | 'F'> = {
  p225: 'F',
  p226: 'M',
  p230: 'F',
  p238: 'F',
  p255: 'M',
  p301: 'F',
  p314: 'F',
  p376: 'M',
};

/** Every real clip whose speaker's gender a corpus file states (LibriTTS and MLS samples come without one). */
export async function realClips(): Promise<RealClip[]> {
  const out: RealClip[] = [];
  const lj = join(REAL, 'ljspeech', 'wavs');
  for (const f of readdirSync(lj).sort()) {
    out.push({ id: f.replace('.wav', ''), speaker: 'LJ', gender: 'F', audio: await decode(join(lj, f)) });
  }
  const v080 = join(REAL, 'vctk-0.80', 'wav48');
  for (const s of readdirSync(v080).sort()) {
    for (const f of readdirSync(join(v080, s)).sort()) {
      out.push({
        id: f.replace('.wav', ''),
        speaker: s,
        gender: VCTK_GENDER[s],
        audio: await decode(join(v080, s, f)),
      });
    }
  }
  const v092 = join(REAL, 'vctk', 'wav48_silence_trimmed');
  for (const s of readdirSync(v092).sort()) {
    for (const f of readdirSync(join(v092, s)).sort()) {
      if (!f.includes('mic1')) continue; // mic2 is the same utterance through another microphone
      out.push({
        id: f.replace('.flac', ''),
        speaker: s,
        gender: VCTK_GENDER[s],
        audio: await decode(join(v092, s, f)),
      });
    }
  }
  return out;
}

/**
 * The real clips whose corpora come without a gender label here (LibriTTS without its SPEAKERS.txt, MLS Spanish
 * without metainfo.txt), under their own speaker ids (the first part of the file name).
 */
export async function unlabelledClips(): Promise<{ id: string; speaker: string; audio: DecodedAudio }[]> {
  const out: { id: string; speaker: string; audio: DecodedAudio }[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) await walk(join(dir, e.name));
      else if (/\.(wav|opus)$/.test(e.name)) {
        const id = e.name.replace(/\.(wav|opus)$/, '');
        out.push({ id, speaker: id.split('_')[0], audio: await decode(join(dir, e.name)) });
      }
    }
  };
  await walk(join(REAL, 'libritts'));
  await walk(join(REAL, 'mls'));
  return out;
}

export function toRate(a: DecodedAudio, rate: number): DecodedAudio {
  if (a.sampleRate === rate) return a;
  const samples = resample(a.samples, a.sampleRate, rate);
  return { ...a, samples, sampleRate: rate, durationSec: samples.length / rate };
}

/** `a`, half a second of silence, then `b` (at `a`'s rate): two speakers in one clip. */
export function concatenate(a: DecodedAudio, b: DecodedAudio): DecodedAudio {
  const second = toRate(b, a.sampleRate).samples;
  const gap = Math.round(0.5 * a.sampleRate);
  const samples = new Float32Array(a.samples.length + gap + second.length);
  samples.set(a.samples);
  samples.set(second, a.samples.length + gap);
  return { ...a, samples, durationSec: samples.length / a.sampleRate };
}

/** Pieces of `seconds` (the last one kept if at least half as long): more clips per speaker from few files. */
export function pieces(a: DecodedAudio, seconds: number): DecodedAudio[] {
  const n = Math.round(seconds * a.sampleRate);
  const out: DecodedAudio[] = [];
  for (let at = 0; at + n / 2 <= a.samples.length; at += n) {
    const samples = a.samples.slice(at, at + n);
    out.push({ ...a, samples, durationSec: samples.length / a.sampleRate });
  }
  return out;
}

const CONFIG = configSchema.parse({});
const ENV = { config: CONFIG, facts: facts({ name: 'test', expectsNormalizedText: false }), tools: {}, readRoots: [] };

/** The clip's result as the pipeline would fold it, under the given id, speaker and gender label. */
export function clipResult(audio: DecodedAudio, id: string, speaker: string, gender?: string): ClipResult {
  const u = {
    id,
    text: 'a test sentence',
    speaker,
    gender,
    audio: { kind: 'file' as const, path: `${id}.wav`, relPath: `${id}.wav` },
    origin: { file: `${id}.txt` },
  };
  const results = analyseAudio(u, audio, ENV);
  const metrics: Record<string, number> = Object.assign({}, ...results.map((r) => r.metrics));
  const annotations: Record<string, string> = Object.assign({}, ...results.map((r) => r.annotations ?? {}));
  const findings: Finding[] = results.flatMap((r) => r.findings.map((f) => ({ ...f, severity: 'warning' as const })));
  return {
    id,
    text: u.text,
    speaker,
    gender,
    origin: u.origin,
    audioPath: `${id}.wav`,
    metrics,
    annotations,
    findings,
  };
}

/** Folds clip results through the voices dataset analyzer with its default config. */
export function foldVoices(clips: ClipResult[], input: Record<string, unknown> = {}) {
  const acc = voices.create(voices.config.parse(input), facts({ name: 'test', expectsNormalizedText: false }));
  for (const c of clips) acc.add(c);
  try {
    const outcome = acc.finish(metricStats({ exactUpTo: 1000 }));
    // The findings stream from spill files: read them before `close` removes the files.
    return { ...outcome, clipFindings: [...outcome.clipFindings] };
  } finally {
    acc.close?.();
  }
}
