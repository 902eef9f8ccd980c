import { copyFile, link, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REAL } from './run.js';

/**
 * An LJSpeech-layout set of `tiles` × the 7 real LJSpeech clips (hard links: no disk), ids `<id>_<k>`. Transcripts
 * repeat across tiles, which makes the duplicate-transcript findings depend on clip order, as real sets do.
 */
export async function tiledLjSpeech(root: string, tiles: number): Promise<string> {
  const lj = join(REAL, 'ljspeech');
  const rows = (await readFile(join(lj, 'metadata.csv'), 'utf8')).trim().split('\n');
  await mkdir(join(root, 'wavs'), { recursive: true });
  const out: string[] = [];
  for (let k = 0; k < tiles; k++) {
    for (const row of rows) {
      const [id, ...rest] = row.split('|');
      const [from, to] = [join(lj, 'wavs', `${id}.wav`), join(root, 'wavs', `${id}_${k}.wav`)];
      await link(from, to).catch(() => copyFile(from, to)); // another file system: copy
      out.push([`${id}_${k}`, ...rest].join('|'));
    }
  }
  await writeFile(join(root, 'metadata.csv'), out.join('\n') + '\n');
  return root;
}
