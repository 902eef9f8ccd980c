import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { libritts } from '../../src/sources/libritts.js';
import { mls } from '../../src/sources/mls.js';
import { vctk } from '../../src/sources/vctk.js';
import { cutOffsets, fuzzRun } from '../helpers/fuzz.js';
import { contentArb, lineArb, readAll, writeCorpus, type ReadOutcome } from '../helpers/fuzz-sources.js';
import { REAL, tempDir } from '../helpers/run.js';

// The per-file corpus loaders (VCTK, LibriTTS, MLS) under fuzzed speaker tables, transcript files, trans.tsv and
// transcripts.txt, and odd file and folder names, laid out as the real corpora are. Each read must finish within
// the case bound with utterances and findings only, every finding naming its file (and line).

const work = tempDir('tts-audit-fuzz-corpora-');
afterAll(() => rmSync(work, { recursive: true, force: true }));
const root = join(work, 'corpus');
const real = (...p: string[]) => readFileSync(join(REAL, ...p), 'utf8');

/** A file or folder name as a hostile archive may carry: anything but `/` and NUL, not `.` or `..`. */
const nameArb = lineArb
  .map((s) => s.replace(/[/\0]/g, '_').slice(0, 200))
  .filter((s) => s !== '' && s !== '.' && s !== '..' && Buffer.byteLength(s) < 250);

const SPEAKER_INFO = real('vctk', 'speaker-info.txt');
const VCTK_TEXT = real('vctk', 'txt', 'p225', 'p225_001.txt');
const LIBRI_TEXT = real('libritts', 'test-clean', '8455', '210777', '8455_210777_000067_000000.normalized.txt').trim();
const SPEAKERS =
  '; ID |SEX| SUBSET |MINUTES| NAME\n8455 | M | test-clean | 8.02 | Reader One\n8463 | F | test-clean | 8.06 | Reader | Two\n';
const TRANS = `8455_210777_000067_000000\t${LIBRI_TEXT}\t${LIBRI_TEXT}\n8455_210777_000068_000000\tTwo.\ttwo.\n`;
const BAD = './test-clean/8455/210777/8455_210777_000067_000000.wav\n';
const MLS_TEXT = real('mls', 'portuguese', 'train', 'transcripts.txt');
const METAINFO =
  ' SPEAKER | GENDER | PARTITION | MINUTES | BOOK ID | TITLE | CHAPTER\n 12710 | F | train | 25.1 | 10229 | A | B\n';

function expectSome(outcomes: ReadOutcome[]) {
  expect(outcomes.some((o) => o.utterances > 0)).toBe(true);
  expect(outcomes.some((o) => o.findings.some((f) => f.code === 'source.malformed_line'))).toBe(true);
}

describe('corpus loader fuzz', () => {
  it('VCTK: speaker-info.txt, transcripts, and odd names', async () => {
    const outcomes: ReadOutcome[] = [];
    await fc.assert(
      fc.asyncProperty(
        contentArb(SPEAKER_INFO),
        contentArb(VCTK_TEXT),
        fc.option(fc.tuple(nameArb, nameArb)),
        fc.constantFrom({}, { mic: 'both' as const }, { mic: 'mic2' as const }),
        async (info, text, names, options) => {
          writeCorpus(root, {
            'speaker-info.txt': info,
            'txt/p225/p225_001.txt': text,
            'txt/p225/p225_002.txt': 'Two.',
            'wav48_silence_trimmed/p225/p225_001_mic1.flac': '',
            'wav48_silence_trimmed/p225/p225_002_mic2.flac': '',
            ...(names
              ? {
                  [`txt/${names[0]}/${names[1]}`]: text,
                  [`wav48_silence_trimmed/${names[0]}/${names[1]}_mic1.flac`]: '',
                }
              : {}),
          });
          outcomes.push(await readAll(vctk, root, options, ['speaker-info.txt']));
        },
      ),
      fuzzRun(80),
    );
    expectSome(outcomes);
  });

  it('VCTK speaker-info.txt of the full release cut at every offset of its first 512 bytes and 100 beyond', async () => {
    // Rows are ~30 bytes: 512 bytes cut every way through the header and 16 rows; the rest is sampled.
    const bytes = Buffer.from(real('vctk', 'speaker-info.full.txt'));
    writeCorpus(root, { 'txt/p225/p225_001.txt': VCTK_TEXT, 'wav48_silence_trimmed/p225/p225_001_mic1.flac': '' });
    for (const at of cutOffsets(bytes.length, 512, 100)) {
      writeFileSync(join(root, 'speaker-info.txt'), bytes.subarray(0, at));
      expect((await readAll(vctk, root, {}, ['speaker-info.txt'])).utterances).toBe(1);
    }
  });

  it('LibriTTS: SPEAKERS.txt, trans.tsv, transcript files, the bad-sample list, and odd names', async () => {
    const outcomes: ReadOutcome[] = [];
    const chapter = 'test-clean/8455/210777';
    await fc.assert(
      fc.asyncProperty(
        contentArb(SPEAKERS),
        contentArb(TRANS),
        contentArb(LIBRI_TEXT),
        contentArb(BAD),
        fc.option(nameArb),
        async (speakers, trans, text, bad, name) => {
          writeCorpus(root, {
            'SPEAKERS.txt': speakers,
            [`${chapter}/8455_210777.trans.tsv`]: trans,
            [`${chapter}/8455_210777_000067_000000.wav`]: '',
            [`${chapter}/8455_210777_000069_000000.normalized.txt`]: text,
            [`${chapter}/8455_210777_000069_000000.wav`]: '',
            'libritts_r_failed_speech_restoration_examples/test_clean_bad_sample_list.txt': bad,
            ...(name ? { [`${chapter}/${name}`]: text, [`test-clean/8455/${name}/x.wav`]: '' } : {}),
          });
          outcomes.push(await readAll(libritts, root, {}, ['SPEAKERS.txt']));
        },
      ),
      fuzzRun(80),
    );
    expectSome(outcomes);
  });

  it('MLS: transcripts.txt and metainfo.txt', async () => {
    const outcomes: ReadOutcome[] = [];
    // Most cases keep one real first line, so the folder is still recognised as MLS and the rest is read.
    const transcripts = fc
      .tuple(fc.boolean(), contentArb(MLS_TEXT))
      .map(([keep, body]) => (keep ? Buffer.concat([Buffer.from(MLS_TEXT.split('\n')[0] + '\n'), body]) : body));
    await fc.assert(
      fc.asyncProperty(
        transcripts,
        contentArb(METAINFO),
        fc.constantFrom({}, { split: 'train' }, { split: 'dev' }),
        async (text, meta, options) => {
          writeCorpus(root, {
            'train/transcripts.txt': text,
            'metainfo.txt': meta,
            'train/audio/12710/10229/12710_10229_000000.opus': '',
          });
          outcomes.push(await readAll(mls, root, options, [root]));
        },
      ),
      fuzzRun(80),
    );
    expectSome(outcomes);
  });

  it('a transcript of millions of short lines, and a speaker table past 16 MiB, are read only so far', async () => {
    writeCorpus(root, {
      'speaker-info.txt': SPEAKER_INFO,
      'txt/p225/p225_001.txt': 'ab\n'.repeat(4 * 2 ** 20),
      'txt/p225/p225_002.txt': 'Two.',
      'wav48_silence_trimmed/p225/p225_001_mic1.flac': '',
      'wav48_silence_trimmed/p225/p225_002_mic1.flac': '',
    });
    const v = await readAll(vctk, root, {}, []);
    expect(v.utterances).toBe(1);
    expect(v.findings.map((f) => f.message)).toContain(
      'txt/p225/p225_001.txt:21846: longer than 64 KiB, not the transcript of one clip; skipped',
    );
    const row = `8455 | M | test-clean | 8.02 | ${'n'.repeat(4000)}\n`;
    writeCorpus(root, {
      'SPEAKERS.txt': row.repeat(Math.ceil((17 * 2 ** 20) / row.length)),
      'test-clean/8455/210777/8455_210777.trans.tsv': TRANS,
      'test-clean/8455/210777/8455_210777_000067_000000.wav': '',
    });
    const l = await readAll(libritts, root, {}, []);
    expect(l.utterances).toBe(2);
    expect(l.findings.map((f) => f.message)).toContainEqual(
      expect.stringMatching(/^SPEAKERS\.txt:\d+: the file goes on past 16 MiB/),
    );
  });
});
