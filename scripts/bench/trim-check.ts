// How well the recognizer's word timings check the suggested trims (`alignment.trim_cuts_speech`), run by hand
// on the pairs scripts/bench-alignment.ts dumped:
//   nice -n 19 npx tsx scripts/bench-alignment.ts --cache DIR --dump PAIRS.json
//   nice -n 19 npx tsx scripts/bench/trim-check.ts PAIRS.json
// True pairs (whole, split in two, under 20 dB pink noise) with the trims the silence analyzer suggested: how many
// the check flags (false flags), and how far the aligned first and last words sit from the speech span's edges.
// Then the same pairs with a speech span shortened on purpose, the trim d seconds inside the span's speech at
// one end (a quiet onset or a soft ending lost): how many the check catches, per d and per end. The span's own
// edges are the truth here, so a shortened span that only cuts silence the span held counts as missed. Asserts
// nothing.

import { readFileSync } from 'node:fs';
import { alignedSpeech, checkTrims } from '../../src/analyzers/clip/alignment-trims.js';
import { dictionaryWords, recognizerEvidence } from '../../src/analyzers/clip/transcript-fit.js';
import { configSchema } from '../../src/config/schema.js';
import type { Trims } from '../../src/features/trims.js';
import { openPocketsphinx, type WordSegment } from '../../src/plugins/pocketsphinx.js';
import { quantile, sortedFinite } from '../../src/util/stats.js';
import { fmt, table } from './format.js';

interface DumpedPair {
  kind: string;
  clip: string;
  text: string;
  metrics: Record<string, number>;
  aligned?: WordSegment[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: trim-check.ts PAIRS.json (from scripts/bench-alignment.ts --dump)');
const config = configSchema.parse({ analyzers: { alignment: { enabled: true } } }).analyzers.alignment;
const TRUE_KINDS = ['true', 'true, split in two', 'true + pink 20 dB'];
const pairs = (JSON.parse(readFileSync(file, 'utf8')) as DumpedPair[]).filter(
  (p) => TRUE_KINDS.includes(p.kind) && p.metrics['alignment.asr_onset_sec'] !== undefined,
);
// The evidence as the analyzer builds it from the dumped alignment (pocketsphinx only for its dictionary).
const recognizer = await openPocketsphinx();
if (!recognizer) throw new Error('needs pocketsphinx for its dictionary');
const evidence = new Map(
  pairs.map((p) => [p, recognizerEvidence(dictionaryWords(p.text), recognizer.phones, p.aligned ?? [])]),
);
recognizer.close();
const span = (m: Record<string, number>) => ({
  start: m['silence.leading_sec'],
  end: m['signal.duration_sec'] - m['silence.trailing_sec'],
});
const suggested = (m: Record<string, number>): Trims => ({
  startSec: m['silence.trim_start_sec'],
  endSec: m['silence.trim_end_sec'],
});
const flagged = (p: DumpedPair, trims: Trims) =>
  checkTrims(evidence.get(p)!, trims, config.trimCheck).finding !== undefined;

console.log(`${pairs.length} true pairs with aligned words (${file}); limit ${config.trimCheck.maxOutsideSec} s\n`);
const gaps = (f: (p: DumpedPair) => number) => {
  const s = sortedFinite(pairs.map(f));
  return [5, 50, 95].map((q) => fmt(quantile(s, q), 2)).join(' / ');
};
const speech = (p: DumpedPair) => alignedSpeech(evidence.get(p)!, config.trimCheck.maxSecPerPhone)!;
console.log(
  `aligned speech start − span start (s), p5 / median / p95: ${gaps((p) => speech(p).onsetSec - span(p.metrics).start)}`,
);
console.log(
  `span end − aligned speech end (s), p5 / median / p95: ${gaps((p) => span(p.metrics).end - speech(p).offsetSec)}\n`,
);
const rows = TRUE_KINDS.map((k) => {
  const of = pairs.filter((p) => p.kind === k);
  return [k, `${of.filter((p) => flagged(p, suggested(p.metrics))).length}/${of.length}`];
});
console.log(table(['suggested trims, false flags', 'flagged'], rows));

console.log('\nSpeech span shortened: the trim d s inside the span at one end, caught:');
const depths = [0.1, 0.2, 0.3, 0.5, 1];
const caught = (end: 'start' | 'end', d: number) => {
  // Only pairs with more than 2d of speech: a shorter span would lose all of it.
  const long = pairs.filter((p) => span(p.metrics).end - span(p.metrics).start > 2 * d);
  const hit = long.filter((p) => {
    const { start, end: stop } = span(p.metrics);
    const trims = suggested(p.metrics);
    return flagged(p, end === 'start' ? { ...trims, startSec: start + d } : { ...trims, endSec: stop - d });
  });
  return `${hit.length}/${long.length}`;
};
console.log(
  table(
    ['end', ...depths.map((d) => `d = ${d} s`)],
    (['start', 'end'] as const).map((e) => [e, ...depths.map((d) => caught(e, d))]),
  ),
);
