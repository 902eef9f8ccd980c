import { z } from 'zod';
import type { AudioFormat } from '../../types.js';
import { openJsonSpill, openSpill, type Spill } from '../../util/spill.js';
import { defineDatasetAnalyzer, type ClipFindingDraft } from '../types.js';

const summary = z.object({
  expected: z.object({ sampleRate: z.number(), channels: z.number(), bitDepth: z.number() }).nullable(),
  expectedFrom: z
    .enum(['corpus', 'majority', 'none'])
    .describe("'corpus': the layout's published format; 'majority': the most common format in this set"),
  formats: z.record(z.string(), z.number().int()).describe('clips per `rate Hz/bits/channels/codec`'),
});

const FIELDS = [
  ['sampleRate', 'signal.sample_rate_mismatch', 'sample rate', ' Hz'],
  ['channels', 'signal.channels_mismatch', 'channel count', ''],
  ['bitDepth', 'signal.bit_depth_mismatch', 'bit depth', '-bit'],
] as const;

const keyOf = (f: AudioFormat) => `${f.sampleRate} Hz/${f.bitDepth}-bit/${f.channels} ch/${f.codec}`;

type Expected = { sampleRate: number; channels: number; bitDepth: number };
type Clip = { id: string; origin: ClipFindingDraft['origin']; format: AudioFormat };

function compare(clip: Clip, expected: Expected, from: string, out: (d: ClipFindingDraft) => void): void {
  for (const [field, code, label, unit] of FIELDS) {
    const got = clip.format[field];
    const want = expected[field];
    // Codecs without a bit depth (Opus) report 0; there is nothing to compare.
    if (got === want || (field === 'bitDepth' && got === 0)) continue;
    out({
      code,
      clipId: clip.id,
      origin: clip.origin,
      message: `${label} ${got}${unit}, expected ${want}${unit} (${from})`,
      value: got,
      threshold: want,
    });
  }
}

function* offMajority(pending: Spill, expected: Expected): Generator<ClipFindingDraft> {
  const out: ClipFindingDraft[] = [];
  for (const line of pending.lines()) {
    compare(JSON.parse(line) as Clip, expected, 'majority', (d) => out.push(d));
    yield* out.splice(0);
  }
}

export const format = defineDatasetAnalyzer({
  name: 'format',
  description:
    "Sample rate, channels and bit depth of each clip against the corpus' published format (or the set's majority).",
  config: z.strictObject({}).prefault({}),
  findings: {
    'signal.sample_rate_mismatch': {
      severity: 'error',
      description: "sample rate differs from the corpus' (or majority's): resampling changes its bandwidth",
    },
    'signal.channels_mismatch': { severity: 'warning', description: 'channel count differs (analysed downmixed)' },
    'signal.bit_depth_mismatch': { severity: 'info', description: 'bit depth differs' },
  },
  summary,
  create(_c, { source }) {
    const counts = new Map<string, number>();
    // With a published corpus format each clip is judged as it arrives, and a corpus all off it is a finding a
    // clip: those wait on disk. A majority vote needs every clip again at the end, so they wait in a spill file
    // (a million clips would hold ~300 MB here), opened by the first one, and are judged as the fold reads them.
    const mismatches = openJsonSpill<ClipFindingDraft>('format-findings');
    const votes = new Map<string, number>();
    let pending: Spill | undefined;
    return {
      add(clip) {
        if (!clip.format) return;
        const key = keyOf(clip.format);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        const entry = { id: clip.id, origin: clip.origin, format: clip.format };
        if (source.nominalFormat) compare(entry, source.nominalFormat, 'corpus', mismatches.append);
        else {
          const vote = `${clip.format.sampleRate}/${clip.format.channels}/${clip.format.bitDepth}`;
          votes.set(vote, (votes.get(vote) ?? 0) + 1);
          (pending ??= openSpill('formats')).append(JSON.stringify(entry));
        }
      },
      close() {
        pending?.close();
        mismatches.close();
      },
      finish() {
        let expected: Expected | null = source.nominalFormat ?? null;
        let expectedFrom: 'corpus' | 'majority' | 'none' = expected ? 'corpus' : 'none';
        if (!expected && pending) {
          const [top] = [...votes].sort((a, b) => b[1] - a[1])[0];
          const [sampleRate, channels, bitDepth] = top.split('/').map(Number);
          expected = { sampleRate, channels, bitDepth };
          expectedFrom = 'majority';
        }
        const summary = { expected, expectedFrom, formats: Object.fromEntries(counts) };
        return {
          summary,
          clipFindings: expectedFrom === 'majority' ? offMajority(pending!, expected!) : mismatches.values(),
        };
      },
    };
  },
});
