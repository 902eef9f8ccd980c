// Builds data-samples/ljspeech, the demo dataset the README audits and the
// tests use to check that each defect is detected. Run: npx tsx scripts/make-samples.ts
// Output is byte-identical on every run: noise comes from a PRNG seeded by the
// variant id, and the output folder is rebuilt from scratch.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import wavefile from 'wavefile';
import { uniform } from './bench/noise.js';
import {
  CLEAN_IDS,
  MALFORMED_LINE,
  MALFORMED_TEXT,
  MISSING,
  MISSING_TEXT,
  SWAPPED_TEXT_FROM,
  VARIANTS,
  type SampleVariant,
} from './sample-variants.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SRC = path.resolve(ROOT, 'test', 'fixtures', 'real', 'ljspeech');
const OUT = path.join(ROOT, 'data-samples');
const DATASET = path.join(OUT, 'ljspeech');
const RATE = 22050;
// dBFS RMS here is relative to amplitude 1.0 (int16 32768), as sox and most
// analyzers report it, not AES-17's sine-referenced variant (3 dB apart).
const FULL_SCALE = 32768;

type Built = { bytes: Uint8Array; durationSec: number; note: string };

// Seed per variant id, so editing one variant never changes another's noise.
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function gaussianSource(seedText: string): () => number {
  const rand = uniform(fnv1a(seedText));
  return () => {
    const u1 = 1 - rand(); // (0, 1], keeps log finite
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rand());
  };
}

const srcWav = (id: string): string => path.join(SRC, 'wavs', `${id}.wav`);

function readPcm(id: string): Int16Array {
  const wav = new wavefile.WaveFile(readFileSync(srcWav(id)));
  const fmt = wav.fmt as { numChannels: number; sampleRate: number; bitsPerSample: number };
  // The variants assume the source format; fail loudly if the sources ever change.
  if (fmt.numChannels !== 1 || fmt.sampleRate !== RATE || fmt.bitsPerSample !== 16) {
    throw new Error(`${id}: expected 22050 Hz mono 16-bit, got ${JSON.stringify(fmt)}`);
  }
  return wav.getSamples(false, Int16Array) as unknown as Int16Array;
}

function encodePcm(samples: Int16Array): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, RATE, '16', samples);
  return wav.toBuffer();
}

function meanPower(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] * x[i];
  return sum / x.length;
}

const clampInt16 = (v: number): number => Math.max(-32768, Math.min(32767, Math.round(v)));

function pcmBuilt(samples: Int16Array, note: string): Built {
  return { bytes: encodePcm(samples), durationSec: samples.length / RATE, note };
}

function buildNoise(v: SampleVariant): Built {
  const clean = readPcm(v.from);
  const noiseStd = Math.sqrt(meanPower(clean) / 10 ** (5 / 10));
  const gauss = gaussianSource(v.id);
  const out = new Int16Array(clean.length);
  let clamped = 0;
  for (let i = 0; i < clean.length; i++) {
    const y = clean[i] + noiseStd * gauss();
    out[i] = clampInt16(y);
    if (out[i] !== Math.round(y)) clamped++;
  }
  // Measure on the stored int16 samples: rounding and clamping are part of what ships.
  const added = out.map((s, i) => s - clean[i]);
  const snr = 10 * Math.log10(meanPower(clean) / meanPower(added));
  return pcmBuilt(out, `white noise, measured SNR ${snr.toFixed(2)} dB, ${clamped} samples clamped`);
}

function buildClipped(v: SampleVariant): Built {
  const clean = readPcm(v.from);
  const gain = 10 ** (12 / 20);
  const out = clean.map((s) => clampInt16(s * gain));
  let atFullScale = 0;
  for (const s of out) if (s === 32767 || s === -32768) atFullScale++;
  const pct = ((100 * atFullScale) / out.length).toFixed(2);
  return pcmBuilt(out, `+12 dB, ${atFullScale}/${out.length} samples (${pct} %) at full scale`);
}

function buildPadded(v: SampleVariant): Built {
  const clean = readPcm(v.from);
  const padLen = Math.round(2.5 * RATE);
  const padStd = FULL_SCALE * 10 ** (-70 / 20);
  const gauss = gaussianSource(v.id);
  const out = new Int16Array(padLen + clean.length + padLen);
  for (let i = 0; i < padLen; i++) out[i] = clampInt16(padStd * gauss());
  out.set(clean, padLen);
  for (let i = padLen + clean.length; i < out.length; i++) out[i] = clampInt16(padStd * gauss());
  const padRms = Math.sqrt(meanPower(out.subarray(0, padLen)));
  const dbfs = 20 * Math.log10(padRms / FULL_SCALE);
  return pcmBuilt(out, `2.5 s + speech + 2.5 s, pad RMS ${dbfs.toFixed(1)} dBFS`);
}

function buildTruncated(v: SampleVariant): Built {
  const whole = readFileSync(srcWav(v.from));
  const cut = Math.floor((whole.length * 0.6) / 2) * 2;
  const declared = new wavefile.WaveFile(whole).data as { chunkSize: number };
  const headerBytes = whole.length - declared.chunkSize;
  const heldSec = (cut - headerBytes) / 2 / RATE;
  const fullSec = declared.chunkSize / 2 / RATE;
  return {
    bytes: whole.subarray(0, cut),
    durationSec: heldSec,
    note: `${cut}/${whole.length} bytes; header declares ${fullSec.toFixed(3)} s, file holds ${heldSec.toFixed(3)} s`,
  };
}

function buildReencoded(v: SampleVariant): Built {
  return pcmBuilt(readPcm(v.from), 'source audio unchanged (re-encoded); defect is in metadata.csv');
}

const BUILDERS: Record<string, (v: SampleVariant) => Built> = {
  noise5db: buildNoise,
  clipped: buildClipped,
  padded: buildPadded,
  truncated: buildTruncated,
  swapped: buildReencoded,
  unnormalized: buildReencoded,
};

type SourceRow = { line: string; raw: string; normalized: string };

function readSourceRows(): Map<string, SourceRow> {
  const rows = new Map<string, SourceRow>();
  for (const line of readFileSync(path.join(SRC, 'metadata.csv'), 'utf8').split('\n')) {
    if (line === '') continue;
    const [id, raw, normalized] = line.split('|');
    rows.set(id, { line, raw, normalized });
  }
  return rows;
}

function fail(message: string): never {
  throw new Error(message);
}

function variantRow(v: SampleVariant, rows: Map<string, SourceRow>): string {
  const src = rows.get(v.defect === 'swapped' ? SWAPPED_TEXT_FROM : v.from) ?? fail(`no metadata row for ${v.from}`);
  const normalized = v.defect === 'unnormalized' ? src.raw : src.normalized;
  return `${v.id}|${src.raw}|${normalized}`;
}

function attribution(): string {
  const real = CLEAN_IDS.map((id) => `| \`ljspeech/wavs/${id}.wav\` | real LJSpeech 1.1 clip, unchanged |`);
  const derived = VARIANTS.map((v) => `| \`ljspeech/wavs/${v.id}.wav\` | ${v.description} |`);
  return `# data-samples — attribution

Generated by \`scripts/make-samples.ts\` (\`npx tsx scripts/make-samples.ts\`); do not edit by hand.

## Source

The audio and the first ${CLEAN_IDS.length} rows of \`ljspeech/metadata.csv\` come from **LJSpeech 1.1**
(Keith Ito and Linda Johnson, 2017; https://keithito.com/LJ-Speech-Dataset/), which is in the
**public domain**: the recordings are LibriVox readings (public domain), and the dataset is released
into the public domain. The clips were copied byte-for-byte from the \`tests/data/ljspeech\` fixtures of
coqui-ai/TTS, as recorded in \`test/fixtures/real/SOURCES.md\` (section "ljspeech/").

## Files

| file | what it is |
| --- | --- |
${[...real, ...derived].join('\n')}

All \`.wav\` files are 22050 Hz, mono, 16-bit PCM. Derived variants were written with \`wavefile\`,
except \`${VARIANTS.find((v) => v.defect === 'truncated')?.id}.wav\`, which is a byte copy cut short. The
\`swapped\` and \`unnormalized\` wavs carry their source's samples unchanged (their defect is in metadata.csv).
Random noise comes from a mulberry32 PRNG seeded by the variant id, so the files are reproducible.

## metadata.csv

\`id|raw text|normalized text\`, \`\\n\` line ends, no header:

- lines 1–${CLEAN_IDS.length}: the real LJSpeech rows for the clips above, byte-identical and in order;
- then one row per derived variant, with its source's raw and normalized text, except
  the \`swapped\` variant (texts of ${SWAPPED_TEXT_FROM}) and the \`unnormalized\` variant (raw text in both columns);
- then \`${MISSING.id}\` (text of the real LJ001-0009 row), whose wav is deliberately absent;
- line ${MALFORMED_LINE}: \`${MALFORMED_TEXT}\`, a deliberately malformed line with no \`|\` separator.
`;
}

function main(): void {
  rmSync(DATASET, { recursive: true, force: true });
  mkdirSync(path.join(DATASET, 'wavs'), { recursive: true });
  const rows = readSourceRows();
  const summary: string[][] = [];

  for (const id of CLEAN_IDS) {
    // Not copyFileSync: it would carry over the read-only mode of a read-only source.
    writeFileSync(path.join(DATASET, 'wavs', `${id}.wav`), readFileSync(srcWav(id)));
    const samples = readPcm(id);
    summary.push([`${id}.wav`, (samples.length / RATE).toFixed(3), 'real clip, byte copy']);
  }
  for (const v of VARIANTS) {
    const built = (BUILDERS[v.defect] ?? fail(`no builder for defect ${v.defect}`))(v);
    writeFileSync(path.join(DATASET, 'wavs', `${v.id}.wav`), built.bytes);
    summary.push([`${v.id}.wav`, built.durationSec.toFixed(3), built.note]);
  }

  const lines = [
    ...CLEAN_IDS.map((id) => rows.get(id)?.line ?? fail(`no metadata row for ${id}`)),
    ...VARIANTS.map((v) => variantRow(v, rows)),
    `${MISSING.id}|${MISSING_TEXT}|${MISSING_TEXT}`,
    MALFORMED_TEXT,
  ];
  // MALFORMED_LINE is computed from the list sizes; this guards the layout it assumes.
  if (lines[MALFORMED_LINE - 1] !== MALFORMED_TEXT) throw new Error('MALFORMED_LINE is out of sync');
  writeFileSync(path.join(DATASET, 'metadata.csv'), lines.join('\n') + '\n');
  writeFileSync(path.join(OUT, 'ATTRIBUTION.md'), attribution());

  for (const [file, dur, note] of summary) console.log(`${file.padEnd(30)} ${dur.padStart(7)} s  ${note}`);
  console.log(`metadata.csv: ${lines.length} lines (${MISSING.id} has no wav; line ${MALFORMED_LINE} is malformed)`);
}

main();
