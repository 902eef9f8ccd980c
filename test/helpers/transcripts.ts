import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceInfo } from '../../src/analyzers/types.js';
import type { AuditConfigInput } from '../../src/config/schema.js';
import { REAL } from './run.js';

// What the transcript-fit tests (synth-and-DTW, recognizer) share: the real LJSpeech clips, their normalized
// transcripts, the source they come from, and the config that turns the transcript check on.

export const LJ = join(REAL, 'ljspeech');
export const LJ_INFO: SourceInfo = { name: 'ljspeech', language: 'en', expectsNormalizedText: true };
export const DEEP: AuditConfigInput = { analyzers: { alignment: { enabled: true } } };
/** Clip id → normalized transcript, from the real metadata.csv. */
export const ljTranscripts = new Map(
  readFileSync(join(LJ, 'metadata.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('|'))
    .map(([id, , text]) => [id, text]),
);
