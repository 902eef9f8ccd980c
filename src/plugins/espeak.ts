// An optional plugin around the `espeak-ng` program (GPL-3.0): found on PATH at run time, never a dependency.
//
// Phonemizing goes through one long-lived process per voice in espeak-ng's line-by-line stdin mode: each text
// is followed by a sentinel line (phoneme input `[[???????]]`, seven glottal stops, which no sanitized text can
// produce), and the output is read up to the sentinel's echo. Measured on the 2-core dev VM (espeak-ng 1.51):
// a process start costs 20–35 ms (it reads every voice file), one LJSpeech sentence ~2.5 ms; so one spawn per
// clip would be ~10× the work of the phonemizing itself. espeak-ng 1.51 writes each clause's phonemes as soon as
// it is done; a build that held them in a buffer would stall the stream, so the probe checks it and otherwise
// falls back to one process per batch (stdin closed, which always flushes).
//
// Text only ever reaches espeak-ng on stdin, never as an argument, so a leading `-` is text, not a flag.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkLines, EspeakError, parseEspeakWav, sanitize, tokens } from './espeak-io.js';

export interface Espeak {
  program: string;
  version: string;
  /** The espeak-ng voice for an ISO code (`en`, `pt-BR`, …), or undefined when this build has none. */
  voiceFor(language: string): string | undefined;
  /** IPA phonemes of each text (stress marks dropped), in order; one process call for the whole batch. */
  phonemize(texts: string[], language: string): Promise<string[][]>;
  /** espeak-ng's reading of the text at its default speed (175 words/min) without the closing pause; mono, ±1. */
  synthesize(text: string, language: string): Promise<{ samples: Float32Array; sampleRate: number }>;
  /** Ends the long-lived phonemizer processes (they also end by themselves when this process exits). */
  close(): void;
}

/** Environment variable naming the program (a name on PATH or a path); `none` disables espeak-ng. */
export const ESPEAK_ENV = 'TTS_AUDIT_ESPEAK';

/** Our ISO 639-1 codes → espeak-ng voices; a regional code the build lists (`en-gb`, `pt-br`) is used as is. */
export const VOICES: Readonly<Record<string, string>> = {
  en: 'en-us',
  de: 'de',
  es: 'es',
  fr: 'fr-fr',
  it: 'it',
  nl: 'nl',
  pl: 'pl',
  pt: 'pt',
};

const SENTINEL = '[[???????]]';
const SENTINEL_ECHO = /^ʔ( ʔ){6}$/;
// Phonemes do not depend on speed, but espeak-ng synthesizes (and discards) the audio even with -q: at 440
// words/min it has less to make (LJ sentences: 2.5 ms instead of 6 ms each). Above 450 its speed-up path is slower.
const PHONEMIZE_WPM = 440;
const STREAM_PROBE_MS = 3000;
const REQUEST_TIMEOUT_MS = 30_000;

/** One `run` call: `texts` answers expected, `out` those read so far, `current` the tokens of the one being read. */
type Request = {
  texts: number;
  out: string[][];
  current: string[];
  resolve(out: string[][]): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
};

type Worker = { run(texts: string[]): Promise<string[][]>; end(): void; kill(): void };

/** An idle phonemizer must not keep Node running; a busy one must. */
function setRef(child: ChildProcessWithoutNullStreams, on: boolean): void {
  for (const h of [child, child.stdin, child.stdout, child.stderr] as { ref?(): void; unref?(): void }[])
    (on ? h.ref : h.unref)?.call(h);
}

/** One espeak-ng process reading texts line by line; requests are answered in order. */
function startWorker(program: string, voice: string, env: NodeJS.ProcessEnv, onExit: () => void): Worker {
  const child = spawn(program, ['-q', '-b', '1', '--ipa', '--sep', '-s', String(PHONEMIZE_WPM), '-v', voice], {
    stdio: 'pipe',
    env,
  });
  const queue: Request[] = [];
  let pending = '';
  let stderr = '';
  let dead: Error | undefined;
  const fail = (err: Error) => {
    dead ??= err;
    for (const r of queue.splice(0)) {
      clearTimeout(r.timer);
      r.reject(dead);
    }
    onExit();
  };
  child.on('error', (err) => fail(new EspeakError(`${program}: ${err.message}`)));
  // 'close', not 'exit': the answers still in the pipe are read first.
  child.on('close', (code, signal) =>
    fail(new EspeakError(`${program} -v ${voice} exited (${signal ?? code}): ${stderr.trim().slice(-300)}`)),
  );
  child.stdin.on('error', () => {}); // EPIPE after an exit: reported by the exit handler
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-2000)));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const head = queue[0];
      if (!head) continue;
      if (!SENTINEL_ECHO.test(line.trim())) {
        head.current.push(...tokens(line));
        continue;
      }
      head.out.push(head.current);
      head.current = [];
      if (head.out.length < head.texts) continue;
      queue.shift();
      clearTimeout(head.timer);
      head.resolve(head.out);
      if (queue.length === 0) setRef(child, false);
    }
  });
  return {
    run(texts) {
      if (dead) return Promise.reject(dead);
      if (texts.length === 0) return Promise.resolve([]);
      setRef(child, true);
      const input = texts.map((t) => [...chunkLines(sanitize(t)), SENTINEL, ''].join('\n')).join('');
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => {
            child.kill();
            fail(new EspeakError(`${program} -v ${voice}: no answer in time`));
          },
          REQUEST_TIMEOUT_MS + 100 * texts.length,
        );
        queue.push({ texts: texts.length, out: [], current: [], resolve, reject, timer });
        child.stdin.write(input);
      });
    },
    end: () => child.stdin.end(),
    kill: () => child.kill(),
  };
}

/** Runs a program to its end with `input` on stdin; resolves with stdout. */
function runOnce(program: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: 'pipe', env });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-2000)));
    child.stdin.on('error', () => {});
    child.on('error', (err) => reject(new EspeakError(`${program}: ${err.message}`)));
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out))
        : reject(new EspeakError(`${program} exited (${code}): ${stderr.trim().slice(-300)}`)),
    );
    child.stdin.end(input ?? '');
  });
}

/**
 * espeak-ng opens the sound system even when it only prints phonemes, and libpulse then writes
 * `~/.config/pulse`: the processes get a home of their own, which the instance removes when it closes.
 */
function privateHome(): { env: NodeJS.ProcessEnv; remove(): void } {
  const home = mkdtempSync(join(tmpdir(), 'tts-audit-espeak-'));
  return {
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_RUNTIME_DIR: home },
    // A process still ending may write there a moment longer: retried, and a leftover in tmp is not worth an error.
    remove: () => {
      try {
        rmSync(home, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
      } catch {
        // left for the system's tmp cleaning
      }
    },
  };
}

async function probe(program: string, env: NodeJS.ProcessEnv, onClose: () => void): Promise<Espeak | undefined> {
  const version = await runOnce(program, ['--version'], env).then(
    (b) => /text-to-speech:\s*(\S+)/.exec(b.toString('utf8'))?.[1],
    () => undefined,
  );
  if (!version) return undefined;
  const listed = (await runOnce(program, ['--voices'], env)).toString('utf8').split('\n').slice(1);
  const voices = new Set(listed.map((l) => l.trim().split(/\s+/)[1]).filter(Boolean));
  const voiceFor = (language: string): string | undefined => {
    const code = language.toLowerCase().replace(/_/g, '-');
    const base = code.split('-')[0];
    for (const v of [VOICES[code], code, VOICES[base], base]) if (v && voices.has(v)) return v;
    return undefined;
  };
  const workers = new Map<string, Worker>();
  const workerFor = (voice: string): Worker => {
    let w = workers.get(voice);
    if (!w)
      workers.set(
        voice,
        (w = startWorker(program, voice, env, () => workers.get(voice) === w && workers.delete(voice))),
      );
    return w;
  };
  const voiceOf = (language: string) => {
    const voice = voiceFor(language);
    if (!voice) throw new EspeakError(`espeak-ng ${version} has no voice for language ${JSON.stringify(language)}`);
    return voice;
  };
  // A build that buffers its phoneme output would leave the first answer stuck: then one process per batch.
  const first = workerFor(voiceFor('en') ?? [...voices][0]);
  const timeout = new Promise<boolean>((r) => setTimeout(r, STREAM_PROBE_MS, false).unref());
  const streaming = await Promise.race([
    first.run(['a']).then(
      () => true,
      () => false,
    ),
    timeout,
  ]);
  if (!streaming) first.kill();
  return {
    program,
    version,
    voiceFor,
    async phonemize(texts, language) {
      if (streaming) return workerFor(voiceOf(language)).run(texts);
      const once = startWorker(program, voiceOf(language), env, () => {});
      const out = once.run(texts);
      once.end();
      return out;
    },
    async synthesize(text, language) {
      // -z: no closing pause, which would only be resampled and trimmed again.
      return parseEspeakWav(
        await runOnce(program, ['-b', '1', '-z', '-v', voiceOf(language), '--stdin', '--stdout'], env, sanitize(text)),
      );
    },
    close() {
      for (const w of workers.values()) w.end();
      workers.clear();
      onClose();
    },
  };
}

function programName(): string | undefined {
  const value = process.env[ESPEAK_ENV]?.trim();
  return value === 'none' ? undefined : value || 'espeak-ng';
}

/**
 * espeak-ng if the program runs, else undefined. Each call probes and returns a new instance whose
 * phonemizer processes belong to the caller: the run (or worker) that opens it closes it.
 */
export async function openEspeak(): Promise<Espeak | undefined> {
  const program = programName();
  if (!program) return undefined;
  const home = privateHome();
  const espeak = await probe(program, home.env, home.remove).catch(() => undefined);
  if (!espeak) home.remove();
  return espeak;
}
