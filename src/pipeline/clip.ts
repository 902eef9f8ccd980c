import { clipAnalyzers } from '../analyzers/clip/index.js';
import type { ClipAnalyzer, FindingDraft, RunFacts } from '../analyzers/types.js';
import { decodeAudioRef } from '../audio/decode.js';
import { DecodeError } from '../audio/errors.js';
import type { AuditConfig } from '../config/schema.js';
import { computeFeatures } from '../features/frames.js';
import type { ClipResult, Utterance } from '../types.js';

/** A finding before severity is applied, tied to its clip. */
export type RawFinding = FindingDraft;

export interface ClipOutcome {
  clip: ClipResult;
  drafts: RawFinding[];
  /** False when the audio could not be decoded: the clip has findings but no metrics. */
  analysed: boolean;
}

function audioPath(u: Utterance): string {
  return u.audio.kind === 'file' ? u.audio.relPath : u.audio.name;
}

/** Decode once, compute features once, run every clip analyzer over them. Never throws. */
export async function analyzeClip(u: Utterance, config: AuditConfig, facts: RunFacts): Promise<ClipOutcome> {
  const { source, alphabet } = facts;
  const { audio: _audio, notes: _notes, ...fields } = u;
  const clip: ClipResult = { ...fields, audioPath: audioPath(u), metrics: {}, findings: [] };
  const drafts: RawFinding[] = [...(u.notes ?? [])];
  const analyzers = clipAnalyzers as readonly ClipAnalyzer[];
  const analyzerConfigs = config.analyzers as Record<string, unknown>;
  // Started before decoding, so an external program (espeak-ng) works while the audio decodes.
  const preparing = analyzers.map((a) => a.prepare?.({ utterance: u, config: analyzerConfigs[a.name], source }));
  for (const p of preparing) p?.catch(() => {}); // not awaited when decoding fails
  let decoded;
  try {
    decoded = await decodeAudioRef(u.audio);
  } catch (err) {
    const code = err instanceof DecodeError ? err.code : 'audio.corrupt';
    const reason = err instanceof Error ? err.message : String(err);
    drafts.push({ code, message: reason.startsWith(clip.audioPath) ? reason : `${clip.audioPath}: ${reason}` });
    return { clip, drafts, analysed: false };
  }
  const { audio, problems } = decoded;
  for (const p of problems)
    drafts.push({
      ...p,
      message: p.message.startsWith(clip.audioPath) ? p.message : `${clip.audioPath}: ${p.message}`,
    });
  clip.format = {
    codec: audio.codec,
    sampleRate: audio.sampleRate,
    channels: audio.channels,
    bitDepth: audio.bitDepth,
  };

  const features = computeFeatures(audio);
  const prepared = await Promise.allSettled(preparing);
  for (const [i, analyzer] of analyzers.entries()) {
    try {
      const p = prepared[i];
      if (p.status === 'rejected') throw p.reason;
      const result = analyzer.analyze({
        utterance: u,
        audio,
        features,
        metrics: clip.metrics,
        config: analyzerConfigs[analyzer.name],
        source,
        alphabet,
        prepared: p.value,
      });
      for (const [k, v] of Object.entries(result.metrics)) if (Number.isFinite(v)) clip.metrics[k] = v;
      if (result.annotations) clip.annotations = { ...clip.annotations, ...result.annotations };
      drafts.push(...result.findings);
    } catch (err) {
      drafts.push({
        code: 'analyzer.failed',
        message: `analyzer ${analyzer.name} failed: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }
  return { clip, drafts, analysed: true };
}
