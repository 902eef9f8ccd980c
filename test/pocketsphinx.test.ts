import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dictionaryWords, tailSkipped, wordErrorRate } from '../src/analyzers/clip/transcript-fit.js';
import { configSchema, type AuditConfigInput } from '../src/config/schema.js';
import { audit, renderMarkdown } from '../src/index.js';
import { analyseClip } from '../src/pipeline/clip.js';
import { openEspeak, type Espeak } from '../src/plugins/espeak.js';
import { parseBacktrace } from '../src/plugins/pocketsphinx-parse.js';
import { POCKETSPHINX_ENV, openPocketsphinx, readDictionary, type Pocketsphinx } from '../src/plugins/pocketsphinx.js';
import type { DecodedAudio, Utterance } from '../src/types.js';
import { decode, facts } from './helpers/audio.js';
import { DEEP, LJ, LJ_INFO, ljTranscripts } from './helpers/transcripts.js';
import { cli, REAL, tempDir } from './helpers/run.js';

/** Runs `f` with the environment variable set (or removed), then puts it back. */
async function withEnv<T>(name: string, value: string | undefined, f: () => Promise<T>): Promise<T> {
  const saved = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return await f();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

describe('reading pocketsphinx', () => {
  it('takes the last backtrace table, alternates folded, fillers and skips kept as such', () => {
    const log = [
      'LJ_INFO: pocketsphinx.c(1168): in being (-2453)',
      'word                 start end   pprob ascr       lscr       lback',
      'in                   0     12    1.000 -304       0          1  ',
      'LJ_INFO: ngram_search.c(870): bestpath 0.00 CPU 0.000 xRT',
      'word                 start end   pprob ascr       lscr       lback',
      '<sil>                0     5     1.000 -100       -337       1  ',
      'a(2)                 6     41    0.365 -528       0          1  ',
      '(NULL)               41    41    1.000 0          0          1  ',
      'LJ_INFO: fsg_search.c(263): TOTAL fsg 0.03 CPU 0.016 xRT',
    ].join('\n');
    expect(parseBacktrace(log)).toEqual([
      { word: '<sil>', startSec: 0, endSec: 0.06, posterior: 1, acoustic: -100 },
      { word: 'a', startSec: 0.06, endSec: 0.42, posterior: 0.365, acoustic: -528 },
      { word: '(NULL)', startSec: 0.41, endSec: 0.42, posterior: 1, acoustic: 0 },
    ]);
    expect(parseBacktrace('ERROR: "fsg_search.c", line 940: Final result does not match the grammar')).toEqual([]);
  });

  it('reads cmudict with alternates and comments', () => {
    const d = readDictionary('a AH\na(2) EY\nread R EH D # past\nread(2) R IY D\n');
    expect(d.get('a')).toEqual(['AH', 'EY']);
    expect(d.get('read')).toEqual(['R EH D', 'R IY D']);
  });

  it('spells transcripts as the dictionary does, and counts word errors and skipped endings', () => {
    expect(dictionaryWords('“Don’t” — Mr. Smith’s 2 dogs!')).toEqual(["don't", 'mr', "smith's", '2', 'dogs']);
    expect(wordErrorRate(['a', 'b', 'c'], ['a', 'c'])).toBeCloseTo(1 / 3);
    expect(wordErrorRate(['a'], ['x', 'y', 'z'])).toBe(3);
    expect(tailSkipped(['the', 'cat', 'and', 'the', 'dog'], ['the', 'cat'])).toBe(3 / 5);
    // A repeated last word is taken at its latest place: nothing counts as skipped.
    expect(tailSkipped(['the', 'cat', 'and', 'the'], ['the'])).toBe(0);
  });
});

describe('openPocketsphinx', () => {
  it('is undefined when the variable disables it or names a missing program', async () => {
    expect(await withEnv(POCKETSPHINX_ENV, 'none', openPocketsphinx)).toBeUndefined();
    expect(await withEnv(POCKETSPHINX_ENV, join(tempDir(), 'no-such-program'), openPocketsphinx)).toBeUndefined();
  });
});

describe('pocketsphinx absent', () => {
  it('a deep run goes on with the espeak-ng DTW alone, and the report says why', async () => {
    const { report } = await withEnv(POCKETSPHINX_ENV, 'none', () => audit({ source: LJ, config: DEEP }));
    expect(report.summary.analysed).toBe(7);
    expect(report.findings['analyzer.failed']).toBeUndefined();
    const checks = report.dataset.transcriptChecks!;
    expect(checks.clips).toEqual({ recognizerAndDtw: 0, dtwOnly: 7, recognizerOnly: 0, none: 0 });
    expect(checks.note).toMatch(/no clip was heard by pocketsphinx.*not installed.*espeak-ng DTW alone/);
    expect(checks.decodedSample).toBeUndefined();
  });
});

describe('pocketsphinx on real clips', () => {
  let espeak: Espeak | undefined;
  let pocketsphinx: Pocketsphinx | undefined;
  const audio = new Map<string, DecodedAudio>();
  const ids = ['LJ001-0002', 'LJ001-0004', 'LJ001-0006'];
  beforeAll(async () => {
    [espeak, pocketsphinx] = await Promise.all([openEspeak(), openPocketsphinx()]);
    for (const id of ids) audio.set(id, await decode(join(LJ, 'wavs', `${id}.wav`)));
  });
  afterAll(() => {
    espeak?.close();
    pocketsphinx?.close();
  });

  async function run(id: string, text: string, config: AuditConfigInput = DEEP) {
    const a = audio.get(id)!;
    const u: Utterance = {
      id,
      text,
      audio: { kind: 'pcm', samples: a.samples, sampleRate: a.sampleRate, name: `${id}.wav` },
      origin: { file: 'metadata.csv' },
      language: 'en',
    };
    const env = {
      config: configSchema.parse(config),
      facts: facts(LJ_INFO),
      tools: { espeak, pocketsphinx },
      readRoots: [],
    };
    const { clip, drafts } = await analyseClip(u, env);
    return { metrics: clip.metrics, codes: drafts.map((d) => d.code) };
  }

  it('passes true pairs and flags swapped ljTranscripts, every figure in the metrics', async () => {
    expect(pocketsphinx, 'pocketsphinx and pocketsphinx-en-us must be installed (see .ci/run)').toBeDefined();
    for (const [id, other] of [
      ['LJ001-0002', 'LJ001-0001'],
      ['LJ001-0004', 'LJ001-0006'],
      ['LJ001-0006', 'LJ001-0004'],
    ]) {
      const truth = await run(id, ljTranscripts.get(id)!);
      const swapped = await run(id, ljTranscripts.get(other)!);
      expect(truth.codes, id).not.toContain('alignment.mismatch');
      expect(swapped.codes, `${id} read as ${other}`).toContain('alignment.mismatch');
      expect(truth.metrics['alignment.fit_probability']).toBeLessThan(swapped.metrics['alignment.fit_probability']);
      for (const k of ['asr_skipped', 'asr_acoustic_cost', 'asr_tail_skipped', 'asr_uncovered', 'score'])
        expect(truth.metrics[`alignment.${k}`], k).toBeTypeOf('number');
    }
  });

  it('hears speech start where the words start: LJ001-0002 "in being comparatively modern"', async () => {
    const { metrics } = await run('LJ001-0002', ljTranscripts.get('LJ001-0002')!);
    // By ear and in a spectrogram (sox … spectrogram), "in" starts at the clip's first 50 ms and "modern" ends
    // by 1.85 s of the 1.90 s clip.
    expect(metrics['alignment.asr_onset_sec']).toBeLessThan(0.1);
    expect(metrics['alignment.asr_offset_sec']).toBeGreaterThan(1.7);
    expect(metrics['alignment.asr_offset_sec']).toBeLessThanOrEqual(1.9);
  });

  it('finds VCTK 0.80 p376_193 starting to speak after its 3.3 s of rumble, where the issue heard it (3.35 s)', async () => {
    const dir = join(REAL, 'vctk-0.80');
    audio.set('p376_193', await decode(join(dir, 'wav48', 'p376', 'p376_193.wav')));
    const text = readFileSync(join(dir, 'txt', 'p376', 'p376_193.txt'), 'utf8').trim();
    const { metrics } = await run('p376_193', text);
    expect(Math.abs(metrics['alignment.asr_onset_sec'] - 3.35)).toBeLessThan(0.15);
  });

  it('decodes the sampled clips freely: a word error rate against the transcript', async () => {
    const all = { analyzers: { alignment: { enabled: true, recognizer: { decodeShare: 1 } } } };
    const truth = await run('LJ001-0002', ljTranscripts.get('LJ001-0002')!, all);
    const swapped = await run('LJ001-0002', ljTranscripts.get('LJ001-0001')!, all);
    expect(truth.metrics['alignment.asr_wer']).toBeLessThan(0.6);
    expect(swapped.metrics['alignment.asr_wer']).toBeGreaterThan(0.9);
    expect(truth.metrics['alignment.asr_posterior']).toBeGreaterThan(0);
    const none = await run('LJ001-0002', ljTranscripts.get('LJ001-0002')!);
    expect(none.metrics['alignment.asr_wer'], 'decodeShare 0 decodes nothing').toBeUndefined();
  });
});

describe('--asr-sample', () => {
  it('goes with --profile deep only', () => {
    const r = cli(['audit', LJ, '--asr-sample', '3', '--out', join(tempDir(), 'out')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--asr-sample goes with --profile deep/);
  });
});

describe('pocketsphinx leaves nothing behind', () => {
  // Free decoding runs at about real time: one clip of the seeded sample is enough here.
  it(
    'a deep run with --asr-sample 1 reports the decoded sample, and removes its temporary files',
    { timeout: 300_000 },
    async () => {
      const tmp = tempDir('tts-audit-tmp-');
      const { report } = await withEnv('TMPDIR', tmp, () =>
        audit({ source: LJ, profile: 'deep', asrSample: { clips: 1, seed: 1 } }),
      );
      const checks = report.dataset.transcriptChecks!;
      expect(checks.clips.recognizerAndDtw).toBe(7);
      const sample = checks.decodedSample!;
      expect(sample.clips).toBe(1);
      // One true pair: no mismatch, and the interval of 0/1 is wide.
      expect(sample).toMatchObject({ mismatched: 0, rate: 0, low: 0 });
      expect(sample.high).toBeGreaterThan(0.7);
      expect(sample.worst).toEqual([expect.objectContaining({ mismatch: false, wer: sample.medianWer })]);
      expect(renderMarkdown(report)).toContain(
        'Clips checked 7 by pocketsphinx and the espeak-ng DTW.\n\nTranscript-error rate on the clips pocketsphinx also decoded freely (a seeded sample, `--asr-sample`): 0 of 1 decoded clip mismatched: 0 % (95 % interval 0 %–',
      );
      expect(report.findings['alignment.mismatch']).toBeUndefined();
      expect(readdirSync(tmp).filter((f) => f.startsWith('tts-audit-pocketsphinx-'))).toEqual([]);
    },
  );
});
