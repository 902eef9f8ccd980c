// The dataset stage's memory at scale, run by hand: `npx tsx scripts/bench-fold-memory.ts [--clips 100000,1000000]`.
// Per-clip state lives in the dataset stage (the fold: id table, tally, dataset analyzers); the workers keep none.
// This feeds the fold N clip results, each a real result of the LJSpeech samples under a new id with its own
// transcript, as fast as it folds them (no decoding: a million clips in minutes, where the audit takes an hour), then
// finishes it and reads the dropped and trimmed records and the late findings back as the outputs would. Each size runs in a child process
// of its own, under /usr/bin/time; prints its peak RSS and the growth from one size to the next. Asserts nothing.
// `--node=--max-old-space-size=256` runs the children under those node flags (the CLI sets none: compare without);
// `--trace` prints, on stderr, the RSS and the live heap (after a full GC) every 100,000 clips and after each
// `finish` step: RSS far above the live heap is garbage V8 has not collected yet, not data the fold keeps. The forced
// collections lower the peak, so compare peaks from runs without `--trace`; `--peaks` prints, after the same steps,
// the RSS and the peak RSS so far (VmHWM) without forcing a collection: the step that sets the peak.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { audit } from '../src/index.js';
import { configSchema } from '../src/config/schema.js';
import { openFold } from '../src/pipeline/fold.js';
import { compileAlphabet } from '../src/text/alphabet.js';
import type { FindingDraft } from '../src/analyzers/types.js';
import type { ClipResult, Utterance } from '../src/types.js';
import { pseudoTranscripts } from './bench/transcripts.js';

const ROOT = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    clips: { type: 'string', default: '100000,1000000' },
    child: { type: 'string' },
    templates: { type: 'string' },
    // every 100,000 clips, the heap, array buffers and RSS after a full GC, on stderr (run with node --expose-gc)
    trace: { type: 'boolean', default: false },
    // after each step, the RSS and the peak RSS so far (VmHWM), without forcing a collection: which step sets the peak
    peaks: { type: 'boolean', default: false },
    node: { type: 'string', default: '' },
  },
});

function trace(when: string) {
  const before = process.memoryUsage().rss;
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const mb = (x: number) => `${(x / 2 ** 20).toFixed(0)} MB`;
  console.error(
    `${when}: RSS ${mb(before)}, after a full GC: live heap ${mb(m.heapUsed)}, array buffers ${mb(m.arrayBuffers)}, RSS ${mb(m.rss)}`,
  );
}

/** RSS and the peak RSS so far, from /proc (no forced GC, so the peak is the one a run without flags reaches). */
function peak(when: string) {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  const m = process.memoryUsage();
  const mb = (x: number) => `${(x / 2 ** 20).toFixed(0)} MB`;
  console.error(
    `${when}: RSS ${mb(kb('VmRSS') * 1024)}, peak so far ${mb(kb('VmHWM') * 1024)}, heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, array buffers ${mb(m.arrayBuffers)}`,
  );
}

if (args.child) {
  const n = Number(args.child);
  const templates = JSON.parse(readFileSync(args.templates!, 'utf8')) as ClipResult[];
  const config = configSchema.parse({});
  const fold = openFold(config, {
    source: { name: 'ljspeech', language: 'en', expectsNormalizedText: true },
    alphabet: compileAlphabet(config.analyzers.text),
    phonemizer: null,
  });
  const text = pseudoTranscripts(n);
  try {
    for (let i = 0; i < n; i++) {
      const t = templates[i % templates.length];
      const id = `C${String(i).padStart(7, '0')}`;
      const origin = { file: 'metadata.csv', line: i + 1 };
      fold.list({ id, origin } as Utterance);
      const said = text();
      const clip: ClipResult = { ...t, id, origin, text: said, normalizedText: said, audioPath: `wavs/${id}.wav` };
      const drafts = t.findings.map(({ severity: _s, clipId: _c, origin: _o, ...d }) => d as FindingDraft);
      fold.clip({ clip: { ...clip, findings: [] }, drafts, analysed: true });
      if (args.trace && (i + 1) % 100_000 === 0) trace(`${i + 1} clips`);
      if (args.peaks && (i + 1) % 100_000 === 0) peak(`${i + 1} clips`);
    }
    const show = args.trace ? trace : args.peaks ? peak : undefined;
    const result = fold.finish(show ? (step) => show(`finish: ${step}`) : undefined);
    let records = 0;
    for (const _ of result.tally.dropped.entries()) records++;
    for (const _ of result.tally.trims.entries()) records++;
    // dataset-findings.jsonl's lines, read back as the outputs write them
    let late = 0;
    for (const _ of result.lateFindings.lines()) late++;
    if (args.trace) trace('outputs read back');
    if (args.peaks) peak('outputs read back');
    const { dropped, trims } = result.tally;
    console.log(JSON.stringify({ dropped: dropped.size, trims: trims.size, records, lateFindingClips: late }));
  } finally {
    fold.close();
  }
} else {
  const tmp = mkdtempSync(join(tmpdir(), 'tts-audit-fold-mem-'));
  try {
    const { report: _r } = await audit({ source: join(ROOT, 'data-samples', 'ljspeech'), out: join(tmp, 'out') });
    const templates = join(tmp, 'templates.json');
    const lines = readFileSync(join(tmp, 'out', 'clips.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const clips = lines.map((l) => JSON.parse(l) as ClipResult).filter((c) => Object.keys(c.metrics).length > 0);
    await import('node:fs/promises').then((fs) => fs.writeFile(templates, JSON.stringify(clips)));
    const scratch = mkdtempSync(join(tmp, 'scratch-'));
    // what the fold's spills left in its temporary folder (tsx keeps a cache there too)
    const left = () => readdirSync(scratch).filter((f) => f.startsWith('tts-audit-'));
    const flags = args.node.split(' ').filter(Boolean);
    if (args.trace) flags.push('--expose-gc');
    console.log(
      `tts-audit fold memory — node ${process.version} ${flags.join(' ')}, ${clips.length} real clip results as templates`,
    );
    console.log('clips     | CPU s | peak RSS MB | growth vs previous size | left in tmp');
    let previous: { n: number; rssMb: number } | undefined;
    for (const n of args.clips.split(',').map(Number)) {
      const timed = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          '%U %S %M',
          process.execPath,
          ...flags,
          '--import',
          'tsx',
          import.meta.filename,
          '--child',
          String(n),
          '--templates',
          templates,
          ...(args.trace ? ['--trace'] : []),
          ...(args.peaks ? ['--peaks'] : []),
        ],
        { encoding: 'utf8', env: { ...process.env, TMPDIR: scratch } },
      );
      if (args.trace || args.peaks)
        process.stderr.write(timed.stderr.trim().split('\n').slice(0, -1).join('\n') + '\n');
      const [user, sys, maxKb] = (timed.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
      if (timed.status !== 0 || !Number.isFinite(maxKb)) throw new Error(`fold of ${n} clips failed: ${timed.stderr}`);
      const rssMb = maxKb / 1024;
      const growth =
        previous === undefined
          ? ''
          : `${(((rssMb - previous.rssMb) / previous.rssMb) * 100).toFixed(1)} % (${(((rssMb - previous.rssMb) * 2 ** 20) / (n - previous.n)).toFixed(0)} B/clip)`;
      console.log(
        `${String(n).padEnd(9)} | ${(user + sys).toFixed(0).padStart(5)} | ${rssMb.toFixed(0).padStart(11)} | ${growth.padEnd(23)} | ${left().length}   ${timed.stdout.trim()}`,
      );
      previous = { n, rssMb };
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
