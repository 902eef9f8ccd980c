import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/run.js';

// The data flows one way: sources → audio → features → analyzers → outputs, wired by pipeline/ and driven by
// the CLI and the library entry. dsp/, text/ and util/ (and the shared types) sit below everything. A module
// may import from its own stage or an earlier one, never from a later one, and files never import in a ring.
const STAGES: [prefix: string, rank: number][] = [
  ['types.ts', 0],
  ['errors.ts', 0],
  ['version.ts', 0],
  ['limits.ts', 0],
  ['util/', 0],
  ['dsp/', 0],
  ['kernels/', 0],
  ['text/', 0],
  ['sources/', 1],
  ['audio/', 2],
  ['features/', 3],
  ['plugins/', 4],
  ['analyzers/types.ts', 5],
  ['analyzers/clip/', 6],
  ['analyzers/dataset/', 7],
  ['config/', 8],
  ['outputs/', 9],
  ['pipeline/', 10],
  ['cli/', 11],
  ['index.ts', 11],
];

const SRC = join(ROOT, 'src');

function rankOf(file: string): number {
  const rel = relative(SRC, file);
  const hit = STAGES.find(([prefix]) => (prefix.endsWith('/') ? rel.startsWith(prefix) : rel === prefix));
  if (!hit) throw new Error(`src/${rel} belongs to no stage: add its folder to STAGES`);
  return hit[1];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative imports of a file (static, type-only and dynamic), resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
  return specs.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

function againstFlow(g: Map<string, string[]>): string[] {
  const against: string[] = [];
  for (const [file, targets] of g) {
    for (const t of targets) if (rankOf(t) > rankOf(file)) against.push(`${relative(SRC, file)} → ${relative(SRC, t)}`);
  }
  return against;
}

function cyclesOf(g: Map<string, string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]) => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(SRC, p)).join(' → '));
      return;
    }
    state.set(f, 'open');
    for (const t of g.get(f) ?? []) visit(t, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of g.keys()) visit(f, []);
  return cycles;
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('the layout', () => {
  it('has every source file in a stage', () => {
    for (const f of files) expect(() => rankOf(f)).not.toThrow();
  });

  it('has no import against the data flow', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect([...graph.values()].flat().length).toBeGreaterThan(200);
    expect(againstFlow(graph)).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('catches the imports the layout once had against the flow', () => {
    const at = (...p: string[]) => join(SRC, ...p);
    const old = new Map([
      [at('text', 'alphabet.ts'), [at('analyzers', 'clip', 'text.ts')]],
      [at('sources', 'hub', 'rows.ts'), [at('outputs', 'jsonl.ts')]],
      [at('audio', 'wav.ts'), [at('audio', 'codec.ts')]],
    ]);
    expect(againstFlow(old)).toEqual([
      'text/alphabet.ts → analyzers/clip/text.ts',
      'sources/hub/rows.ts → outputs/jsonl.ts',
    ]);
    const ring = new Map([
      [at('audio', 'codecs.ts'), [at('audio', 'wav.ts')]],
      [at('audio', 'wav.ts'), [at('audio', 'codecs.ts')]],
    ]);
    expect(cyclesOf(ring)).toEqual(['audio/codecs.ts → audio/wav.ts → audio/codecs.ts']);
  });
});
