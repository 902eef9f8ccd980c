import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ljspeech } from '../src/sources/ljspeech.js';
import { REAL, tempDir } from './helpers/run.js';
import { collectItems } from './helpers/collect.js';

const collect = (root: string) => collectItems(ljspeech, root);

function dataset(metadata: string | Buffer): string {
  const root = tempDir();
  mkdirSync(join(root, 'wavs'));
  writeFileSync(join(root, 'metadata.csv'), metadata);
  return root;
}

describe('LJSpeech loader', () => {
  it('reads the real metadata.csv: every row, its three columns, its wav path', async () => {
    const root = join(REAL, 'ljspeech');
    expect(await ljspeech.detect(root, {})).toBe(true);
    const { utterances, findings } = await collect(root);
    expect(findings).toEqual([]);
    const rows = readFileSync(join(root, 'metadata.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('|'));
    expect(utterances.map((u) => u.id)).toEqual(rows.map((r) => r[0]));
    utterances.forEach((u, i) => {
      expect(u.text).toBe(rows[i][1]);
      expect(u.normalizedText).toBe(rows[i][2]);
      expect(u.origin).toEqual({ file: 'metadata.csv', line: i + 1 });
      expect(u.audio).toMatchObject({ kind: 'file', relPath: `wavs/${rows[i][0]}.wav` });
      expect(u.speaker).toBe('LJ');
    });
    // LJ001-0007 carries literal double quotes: no CSV quoting in this format.
    expect(utterances.find((u) => u.id === 'LJ001-0007')?.text).toContain('"forty-two line Bible"');
  });

  it('tolerates a BOM, CRLF endings, a missing third column, a stray quote and blank lines', async () => {
    const root = dataset('\uFEFFA-1|First "text|First text\r\nA-2|Only raw 12 text\r\n\r\nA-3|"quoted|"quoted"\n');
    const { utterances, findings } = await collect(root);
    expect(findings).toEqual([]);
    expect(utterances.map((u) => [u.id, u.text, u.normalizedText, u.origin.line])).toEqual([
      ['A-1', 'First "text', 'First text', 1],
      ['A-2', 'Only raw 12 text', undefined, 2],
      ['A-3', '"quoted', '"quoted"', 4],
    ]);
  });

  it('turns malformed lines into findings naming file and line, and goes on', async () => {
    const lines = [
      'A-1|fine|fine',
      'no separator here',
      'A-2|a|b|c|d',
      '../../etc/passwd|escape|escape',
      'A-3|also fine|also fine',
    ];
    const { utterances, findings } = await collect(dataset(lines.join('\n')));
    expect(utterances.map((u) => u.id)).toEqual(['A-1', 'A-3']);
    expect(findings.map((f) => [f.code, f.origin?.line])).toEqual([
      ['source.malformed_line', 2],
      ['source.malformed_line', 3],
      ['source.malformed_line', 4],
    ]);
    for (const f of findings) expect(f.message).toMatch(new RegExp(`^metadata\\.csv:${f.origin?.line}: `));
  });

  it('skips a hostile over-long line without buffering it, and keeps line numbers right', async () => {
    const huge = 'B-1|' + 'x'.repeat(3 << 20);
    const { utterances, findings } = await collect(dataset(['A-1|ok|ok', huge, 'A-2|ok too|ok too'].join('\n')));
    expect(utterances.map((u) => [u.id, u.origin.line])).toEqual([
      ['A-1', 1],
      ['A-2', 3],
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toMatch(/^metadata\.csv:2: line longer than 1024 KiB \(limits\.maxManifestLineKB\)/);
  });

  it('keeps invalid UTF-8 and control characters as text for the text analyzer to judge', async () => {
    const bytes = Buffer.concat([Buffer.from('A-1|bad '), Buffer.from([0xff, 0xfe]), Buffer.from(' \u0007bell|x\n')]);
    const { utterances } = await collect(dataset(bytes));
    expect(utterances[0].text).toBe('bad \uFFFD\uFFFD \u0007bell');
  });

  it('does not claim a folder without wavs/', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'metadata.csv'), 'A-1|x|x\n');
    expect(await ljspeech.detect(root, {})).toBe(false);
  });
});
