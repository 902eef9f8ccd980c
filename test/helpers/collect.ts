import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Source, SourceItem, SourceOptions } from '../../src/sources/types.js';
import type { Finding, Utterance } from '../../src/types.js';

/** Everything a loader yields, split into utterances and findings, in order. */
export async function collectItems(source: Source, root: string, options: SourceOptions = {}) {
  const utterances: Utterance[] = [];
  const findings: Finding[] = [];
  for await (const item of source.read(root, options) as AsyncIterable<SourceItem>) {
    if ('finding' in item) findings.push(item.finding);
    else utterances.push(item.utterance);
  }
  return { utterances, findings };
}

/** Mean of interleaved channels, computed here so a test does not depend on how a tool remixes. */
export function average(interleaved: Float32Array, channels: number): Float64Array {
  const mono = new Float64Array(interleaved.length / channels);
  for (let i = 0; i < interleaved.length; i++) mono[Math.floor(i / channels)] += interleaved[i] / channels;
  return mono;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Writes a small fixture tree: relative path → content. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}
