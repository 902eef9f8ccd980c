// An optional plugin around CMU pocketsphinx (BSD): the Debian packages `pocketsphinx` (the program) and
// `pocketsphinx-en-us` (a US-English acoustic model, dictionary and language model). Found at run time, never a
// dependency, like espeak-ng.
//
// Two uses, both through `pocketsphinx_continuous -infile` on a 16 kHz 16-bit mono WAV the plugin writes in a
// private folder of its own (removed when the instance closes):
// - forced alignment: a JSGF grammar of the transcript's words in order, each optional, and a dictionary of just
//   those words (loading all of cmudict costs ~0.5 s). On the 24 real English clips of
//   scripts/bench-alignment.ts: 14× real time per CPU second at `ALIGN_BEAM` (22× at pocketsphinx's default
//   beams, which lose long transcripts), resampling, WAV writing and process start included. With
//   every word required, the search fails outright ("Final result does not match the grammar") on some true
//   pairs — VCTK 0.80 p376_193, 3 s of rumble before the speech, even high-passed — and a failure says nothing
//   of how far off the transcript is; with optional words the skipped ones are counted instead;
// - free decoding with the language model, for a word error rate and word posteriors: 3.0 CPU s for a 1.9 s
//   LJSpeech clip, about 1 s of it loading the language model and dictionary.
// Voice-activity detection is off (`-remove_silence no`): with it, the program cuts the file into utterances at
// pauses, and a grammar of the whole transcript cannot match any one piece.
//
// One process per call. pocketsphinx_continuous takes one file; pocketsphinx_batch takes a list (`-ctl`) and
// would load the model once per worker, but it opens the list by name: `/dev/stdin` fails on Node's child stdio
// (socket pairs), and feeding a FIFO hung when tried here. What a process start costs matters for free decoding
// only (~0.5 s of language model and dictionary loading, beside ~1 s per second of audio); the forced alignment
// loads a dictionary of the transcript's words and starts in ~50 ms.

import { pcm16Wav } from '../audio/wav-write.js';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resample } from '../dsp/resample.js';
import { parseBacktrace, type WordSegment } from './pocketsphinx-parse.js';

export type { WordSegment };

export interface PocketsphinxModel {
  hmm: string;
  dict: string;
  lm: string;
}

export interface Pocketsphinx {
  program: string;
  /** Dictionary words, lowercase, with each pronunciation's phone count. */
  phones(word: string): number | undefined;
  /**
   * Timings and acoustic scores of the transcript's words found in the audio, in order (some may be skipped).
   * `beam`: the search's pruning beam (pocketsphinx's default is 1e-48).
   */
  align(samples: Float32Array, sampleRate: number, words: string[], beam?: number): Promise<WordSegment[]>;
  /** The recognizer's own reading with the language model: words, timings and posteriors. */
  decode(samples: Float32Array, sampleRate: number): Promise<WordSegment[]>;
  /** Removes the private folder (the processes have ended by then: each call awaits its own). */
  close(): void;
}

export class PocketsphinxError extends Error {}

/** Environment variable naming the program (a name on PATH or a path); `none` disables pocketsphinx. */
export const POCKETSPHINX_ENV = 'TTS_AUDIT_POCKETSPHINX';
/** Environment variable naming the model folder (holding `en-us/`, `cmudict-en-us.dict`, `en-us.lm.bin`). */
export const POCKETSPHINX_MODEL_ENV = 'TTS_AUDIT_POCKETSPHINX_MODEL';
const DEFAULT_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
const RATE = 16_000;
/**
 * The forced alignment's beam (the word beam 1e10 wider). At pocketsphinx's defaults (1e-48, word beam 7e-29)
 * the search prunes the path through a long transcript and jumps to its end: VCTK 0.80 p230_023 (15 s, 36
 * words) kept 10 words, a true pair flagged. The word beam is what matters (1e-32 keeps all 36 too); 1e-60 and
 * 1e-50 keep them at 2.3× the CPU of the defaults (0.11 against 0.047 CPU s per audio s on that clip).
 */
export const ALIGN_BEAM = 1e-60;
const TIMEOUT_MS = 120_000;

/** A model folder laid out as pocketsphinx-en-us installs it, or undefined. */
export function findModel(dir = process.env[POCKETSPHINX_MODEL_ENV]?.trim() || DEFAULT_MODEL_DIR) {
  const model = { hmm: join(dir, 'en-us'), dict: join(dir, 'cmudict-en-us.dict'), lm: join(dir, 'en-us.lm.bin') };
  return existsSync(join(model.hmm, 'mdef')) && existsSync(model.dict) && existsSync(model.lm) ? model : undefined;
}

/** cmudict: `word phones…`, alternates as `word(2) …`; a `#` starts a comment. */
export function readDictionary(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^(\S+?)(?:\(\d+\))?\s+([^#]+)/.exec(line);
    if (!m) continue;
    const pron = m[2].trim();
    const list = out.get(m[1]);
    if (list) list.push(pron);
    else out.set(m[1], [pron]);
  }
  return out;
}

/**
 * util-linux's setpriv, to start each recognizer with `--pdeathsig KILL`: the kernel kills it when the thread that
 * started it ends. Without it, an audit killed (SIGKILL, out of memory) mid-decode leaves its recognizers running
 * for up to `TIMEOUT_MS` each. Linux only; elsewhere the program is started as is.
 */
const SETPRIV = process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'].find(existsSync) : undefined;

/** Runs the program to its end; resolves with its log (stderr and the log file are the same text). */
function run(program: string, args: string[], log: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const argv = [...args, '-logfn', log];
    const child = SETPRIV
      ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', program, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(program, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-2000)));
    const timer = setTimeout(() => child.kill(), TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new PocketsphinxError(`${program}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let text = '';
      try {
        text = readFileSync(log, 'utf8');
      } catch {
        // no log: reported below
      }
      if (code === 0) resolve(text);
      else
        reject(
          new PocketsphinxError(
            `${program} exited (${signal ?? code}): ${(stderr || text).trim().split('\n').slice(-3).join(' ')}`,
          ),
        );
    });
  });
}

/** Words safe inside a JSGF grammar: cmudict spellings are lowercase letters, digits, `'`, `.`, `-`, `_`. */
const GRAMMAR_WORD = /^[a-z0-9'._-]+$/;

async function probe(program: string, model: PocketsphinxModel): Promise<Pocketsphinx> {
  const dir = mkdtempSync(join(tmpdir(), 'tts-audit-pocketsphinx-'));
  // The program must run: a call without -infile exits 1 saying "Specify '-infile …" (stderr, before any log).
  try {
    await run(program, [], join(dir, 'probe.log'));
  } catch (err) {
    if (!(err instanceof PocketsphinxError && /-infile/.test(err.message))) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }
  const dictionary = readDictionary(readFileSync(model.dict, 'utf8'));
  let serial = 0;
  const common = ['-hmm', model.hmm, '-remove_silence', 'no', '-backtrace', 'yes'];
  const withWav = async <T>(samples: Float32Array, sampleRate: number, f: (wav: string, id: string) => Promise<T>) => {
    const id = String(serial++);
    const wav = join(dir, `${id}.wav`);
    writeFileSync(wav, pcm16Wav(sampleRate === RATE ? samples : resample(samples, sampleRate, RATE), RATE));
    try {
      return await f(wav, id);
    } finally {
      for (const ext of ['.wav', '.log', '.jsgf', '.dict']) rmSync(join(dir, id + ext), { force: true });
    }
  };
  return {
    program,
    phones: (word) => dictionary.get(word)?.[0].split(/\s+/).length,
    align: (samples, sampleRate, words, beam = ALIGN_BEAM) =>
      withWav(samples, sampleRate, async (wav, id) => {
        const known = words.filter((w) => GRAMMAR_WORD.test(w) && dictionary.has(w));
        if (known.length === 0) return [];
        const dict = [...new Set(known)].flatMap((w) =>
          dictionary.get(w)!.map((p, i) => `${i ? `${w}(${i + 1})` : w} ${p}`),
        );
        writeFileSync(join(dir, `${id}.dict`), `${dict.join('\n')}\n`);
        writeFileSync(
          join(dir, `${id}.jsgf`),
          `#JSGF V1.0;\ngrammar t;\npublic <s> = ${known.map((w) => `[${w}]`).join(' ')} ;\n`,
        );
        const log = await run(
          program,
          [
            ...common,
            ...['-beam', String(beam), '-pbeam', String(beam), '-wbeam', String(beam * 1e10)],
            ...['-infile', wav, '-jsgf', join(dir, `${id}.jsgf`), '-dict', join(dir, `${id}.dict`)],
          ],
          join(dir, `${id}.log`),
        );
        return parseBacktrace(log);
      }),
    decode: (samples, sampleRate) =>
      withWav(samples, sampleRate, async (wav, id) =>
        parseBacktrace(
          await run(program, [...common, '-infile', wav, '-dict', model.dict, '-lm', model.lm], join(dir, `${id}.log`)),
        ),
      ),
    close: () => rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 }),
  };
}

function programName(): string | undefined {
  const value = process.env[POCKETSPHINX_ENV]?.trim();
  return value === 'none' ? undefined : value || 'pocketsphinx_continuous';
}

/**
 * pocketsphinx if the program runs and the US-English model is installed, else undefined. Each call returns a
 * new instance with a private folder that the caller (the run or a worker) removes by closing it.
 */
export async function openPocketsphinx(): Promise<Pocketsphinx | undefined> {
  const program = programName();
  const model = findModel();
  if (!program || !model) return undefined;
  return probe(program, model).catch(() => undefined);
}
