import { clipAnalyzers } from '../analyzers/clip/index.js';
import type { ClipAnalysis, ClipAnalyzer, ClipTools, FindingDraft, RunFacts } from '../analyzers/types.js';
import { decodeAudioRef } from '../audio/decode.js';
import { DecodeError } from '../audio/errors.js';
import type { AuditConfig } from '../config/schema.js';
import { computeFeatures, type FrameFeatures } from '../features/frames.js';
import { learnedSpan, wantsLearnedVad } from '../features/speech-learned.js';
import { findSpeech, type SpeechSpan } from '../features/speech.js';
import { suggestedTrims } from '../features/trims.js';
import type { ClipResult, DecodedAudio, Utterance } from '../types.js';

/** Everything analysing one clip needs besides the clip; built once per run, or once per worker thread. */
export interface ClipEnv {
  config: AuditConfig;
  facts: RunFacts;
  tools: ClipTools;
  /**
   * Real paths of the folders clip audio may be read from (the dataset root and every `--audio-root`): a file
   * whose real path lies elsewhere is refused. Empty for a source that carries its audio (Hub parquet).
   */
  readRoots: readonly string[];
}

export interface ClipOutcome {
  clip: ClipResult;
  /** Findings before severities apply (the run's tally applies them). */
  drafts: FindingDraft[];
  /** False when the audio could not be decoded: the clip has findings but no metrics. */
  analysed: boolean;
}

/** A clip's result before any analysis: what the loader knew, with no metrics or findings yet. */
export function clipSkeleton(u: Utterance): ClipResult {
  const { audio, notes: _notes, ...fields } = u;
  return { ...fields, audioPath: audio.kind === 'file' ? audio.relPath : audio.name, metrics: {}, findings: [] };
}

const named = (path: string, message: string) => (message.startsWith(path) ? message : `${path}: ${message}`);

/** Decode once, compute features and the speech span once, run every clip analyzer over them. Never throws. */
export async function analyseClip(u: Utterance, env: ClipEnv): Promise<ClipOutcome> {
  const clip = clipSkeleton(u);
  const drafts: FindingDraft[] = [...(u.notes ?? [])];
  const { limits } = env.config;
  if (u.text.length > limits.maxTranscriptChars) {
    // Checked before `prepare`: espeak-ng must never be handed a megabyte of text.
    const message = `${clip.audioPath}: transcript is ${u.text.length} characters, longer than limits.maxTranscriptChars (${limits.maxTranscriptChars}); not analysed`;
    clip.text = `${u.text.slice(0, 200)}…`;
    drafts.push({ code: 'limits.transcript', message, value: u.text.length, threshold: limits.maxTranscriptChars });
    return { clip, drafts, analysed: false };
  }
  const analyzers = clipAnalyzers as readonly ClipAnalyzer[];
  const configs = env.config.analyzers as Record<string, unknown>;
  // Started before decoding, so an external program (espeak-ng) works while the audio decodes; one that must
  // hear the clip (a recognizer) awaits `audio`.
  const decoding = decodeAudioRef(u.audio, { limits, roots: env.readRoots });
  const audioOf = decoding.then((d) => d.audio);
  audioOf.catch(() => {}); // the failure is reported below
  // Arrays built by push, not `map`: `map` hands back arrays of another map (elements kind) once TurboFan inlines it,
  // and this large function deopted on each change and was compiled again, 3 times per worker (`--trace-deopt`).
  const preparing: (Promise<unknown> | undefined)[] = [];
  for (const a of analyzers)
    preparing.push(
      a.prepare?.({
        utterance: u,
        config: configs[a.name],
        source: env.facts.source,
        tools: env.tools,
        audio: audioOf,
      }),
    );
  for (const p of preparing) p?.catch(() => {}); // not awaited when decoding fails
  let decoded;
  try {
    decoded = await decoding;
  } catch (err) {
    const code = err instanceof DecodeError ? err.code : 'audio.corrupt';
    drafts.push({ code, message: named(clip.audioPath, err instanceof Error ? err.message : String(err)) });
    return { clip, drafts, analysed: false };
  }
  const { audio, problems } = decoded;
  for (const p of problems) drafts.push({ ...p, message: named(clip.audioPath, p.message) });
  clip.format = {
    codec: audio.codec,
    sampleRate: audio.sampleRate,
    channels: audio.channels,
    bitDepth: audio.bitDepth,
  };
  const prepared = await Promise.allSettled(preparing);
  let results: ClipAnalysis[];
  try {
    const features = computeFeatures(audio);
    const c = env.config.analyzers.silence;
    let speech = findSpeech(features, audio.durationSec, c);
    if (env.tools.silero && wantsLearnedVad(speech, c))
      speech = await learnedSpan(speech, audio, features, c, env.tools.silero).catch(() => speech);
    results = analyseAudio(u, audio, env, prepared, { features, speech });
  } catch (err) {
    const message = `${clip.audioPath}: computing frame features failed: ${err instanceof Error ? err.message : String(err)}`;
    drafts.push({ code: 'features.failed', message });
    return { clip, drafts, analysed: false };
  }
  for (const r of results) {
    for (const [k, v] of Object.entries(r.metrics)) if (Number.isFinite(v)) clip.metrics[k] = v;
    if (r.annotations) clip.annotations = { ...clip.annotations, ...r.annotations };
    drafts.push(...r.findings);
  }
  return { clip, drafts, analysed: true };
}

/**
 * Every clip analyzer over decoded audio, in registry order; each sees the features and the speech span, which
 * are computed first, so no analyzer depends on another having run. An analyzer that throws becomes a finding.
 */
export function analyseAudio(
  u: Utterance,
  audio: DecodedAudio,
  env: ClipEnv,
  prepared: PromiseSettledResult<unknown>[] = [],
  found?: { features: FrameFeatures; speech: SpeechSpan },
): ClipAnalysis[] {
  const analyzers = clipAnalyzers as readonly ClipAnalyzer[];
  const configs = env.config.analyzers as Record<string, unknown>;
  const features = found?.features ?? computeFeatures(audio);
  const speech = found?.speech ?? findSpeech(features, audio.durationSec, env.config.analyzers.silence);
  const { source, alphabet } = env.facts;
  const trims = suggestedTrims(speech, audio.durationSec, env.config.analyzers.silence.trimMarginSec);
  const shared = { utterance: u, audio, features, speech, trims, source, alphabet };
  const results: ClipAnalysis[] = []; // by push, as `preparing` in analyseClip
  for (const [i, analyzer] of analyzers.entries()) {
    try {
      const p = prepared[i];
      if (p?.status === 'rejected') throw p.reason;
      results.push(analyzer.analyze({ ...shared, config: configs[analyzer.name], prepared: p?.value }));
    } catch (err) {
      const message = `analyzer ${analyzer.name} failed: ${err instanceof Error ? err.message : String(err)}`;
      results.push({ metrics: {}, findings: [{ code: 'analyzer.failed', message }] });
    }
  }
  return results;
}
