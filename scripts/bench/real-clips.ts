import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { SourceInfo } from '../../src/analyzers/types.js';
import { decodeAudioRef, decodeFile } from '../../src/audio/decode.js';
import { selectSource } from '../../src/sources/index.js';
import type { SourceOptions } from '../../src/sources/types.js';
import type { DecodedAudio, Utterance } from '../../src/types.js';

/** The real fixture clips the benchmarks time: test/fixtures/real, copied there with their attribution. */
export const REAL = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'real');

/** Every WAV, FLAC and Opus file under `dir` (a folder of REAL by default), in path order, decoded. */
export async function realClips(dir = REAL): Promise<DecodedAudio[]> {
  const files = execFileSync('find', [dir, '-name', '*.wav', '-o', '-name', '*.flac', '-o', '-name', '*.opus'])
    .toString()
    .trim()
    .split('\n')
    .sort();
  return Promise.all(files.map(async (f) => (await decodeFile(f)).audio));
}

/** The English corpora among the fixtures, as their loaders read them (VCTK 0.92 with both microphones). */
const ENGLISH: { dir: string; options?: SourceOptions }[] = [
  { dir: 'ljspeech' },
  { dir: 'vctk', options: { mic: 'both' } },
  { dir: 'vctk-0.80' },
  { dir: 'libritts' },
];

export interface SourceClip {
  corpus: string;
  u: Utterance;
  audio: DecodedAudio;
  info: SourceInfo;
}

/** Every English fixture clip that decodes, with its utterance and the source facts an analyzer is given. */
export async function englishClips(): Promise<SourceClip[]> {
  const clips: SourceClip[] = [];
  for (const { dir, options = {} } of ENGLISH) {
    const root = join(REAL, dir);
    const source = await selectSource(root, 'auto', options);
    const facts = source.inspect ? await source.inspect(root, options) : {};
    const info: SourceInfo = {
      name: source.name,
      language: facts.language ?? source.language,
      expectsNormalizedText: source.expectsNormalizedText,
    };
    for await (const item of source.read(root, options)) {
      if (!('utterance' in item)) continue;
      const decoded = await decodeAudioRef(item.utterance.audio).catch(() => undefined);
      if (decoded) clips.push({ corpus: dir, u: item.utterance, audio: decoded.audio, info });
    }
  }
  return clips;
}
