import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipConfigs } from '../src/analyzers/clip/configs.js';
import { clipAnalyzers } from '../src/analyzers/clip/index.js';
import { configSchema } from '../src/config/schema.js';
import { ROOT } from './helpers/run.js';

// A clip worker gets the config already parsed: it needs the analyzers' code, never their zod schemas, which cost
// each worker ~60 ms of CPU and ~4 MB of heap to load (scripts/bench/worker-start.ts). These tests hold the
// worker's module graph to that, and the two analyzer registries to each other.

const SRC = join(ROOT, 'src');

/** What a file loads when it runs: its imports and re-exports that are not type-only, and its dynamic imports. */
export function runtimeImports(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(/^(import|export)\s+(type\s+)?([\s\S]*?)\s*from\s+'([^']+)'/gm)) {
    const [, , typeOnly, what, spec] = m;
    const names = /^\{([\s\S]*)\}$/.exec(what.trim())?.[1];
    const allTypes =
      names !== undefined &&
      names
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .every((n) => n.startsWith('type '));
    if (!typeOnly && !allTypes) specs.push(spec);
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) specs.push(m[1]);
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) specs.push(m[1]);
  return specs;
}

/** Every source file the worker entry loads, following relative imports, with the packages each imports. */
function workerGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const specs = runtimeImports(readFileSync(file, 'utf8'));
    graph.set(
      file,
      specs.filter((s) => !s.startsWith('.')),
    );
    for (const s of specs) if (s.startsWith('.')) visit(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return graph;
}

describe('the clip worker', () => {
  it('loads no zod', () => {
    const graph = workerGraph(join(SRC, 'pipeline', 'worker.ts'));
    expect(graph.size).toBeGreaterThan(40); // the analyzers, features, decoders: the walk did find them
    expect([...graph.keys()].map((f) => relative(SRC, f))).toContain('analyzers/clip/silence.ts');
    const withZod = [...graph].filter(([, pkgs]) => pkgs.includes('zod')).map(([f]) => relative(SRC, f));
    expect(withZod).toEqual([]);
  });

  it('tells type-only imports from the ones that run', () => {
    const text = [
      "import { z } from 'zod';",
      "import type { A } from './a.js';",
      "import { type B, type C } from './b.js';",
      "import { type D, e } from './d.js';",
      "export type { F } from './f.js';",
      "export { g } from './g.js';",
      "const h = await import('./h.js');",
    ].join('\n');
    expect(runtimeImports(text)).toEqual(['zod', './d.js', './g.js', './h.js']);
  });
});

describe('the analyzer registries', () => {
  it('name the same clip analyzers in the same order', () => {
    expect(Object.keys(clipConfigs)).toEqual(clipAnalyzers.map((a) => a.name));
  });

  it('give every clip analyzer its section of the config', () => {
    const parsed = configSchema.parse({});
    for (const a of clipAnalyzers) expect(parsed.analyzers).toHaveProperty(a.name);
  });
});
