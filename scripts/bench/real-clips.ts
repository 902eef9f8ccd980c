import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { decodeFile } from '../../src/audio/decode.js';
import type { DecodedAudio } from '../../src/types.js';

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
