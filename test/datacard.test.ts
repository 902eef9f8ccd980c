import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, type AuditReport } from '../src/index.js';
import { sizeCategory } from '../src/outputs/datacard.js';
import { cli, REAL, SAMPLES, tempDir } from './helpers/run.js';

// datacard.md describes the curated set as a Hugging Face dataset card. No YAML library is among the dependencies,
// so the metadata block is read by the subset of YAML the card uses (scalars, quoted strings, lists of scalars),
// and anything outside that subset fails the test rather than passing unread.

type Meta = Record<string, string | string[]>;

function frontMatter(card: string): { meta: Meta; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(card);
  if (!m) throw new Error('no front matter');
  const meta: Meta = {};
  let list: string[] | undefined;
  for (const line of m[1]!.split('\n')) {
    const item = /^- (\S.*)$/.exec(line);
    const pair = /^([a-z_]+):(?: (.*))?$/.exec(line);
    if (item && list) list.push(item[1]!);
    else if (pair && pair[2] === undefined) meta[pair[1]!] = list = [];
    else if (pair) {
      const v = pair[2]!;
      meta[pair[1]!] = v.startsWith('"') ? (JSON.parse(v) as string) : v;
      list = undefined;
    } else throw new Error(`not in the card's YAML subset: ${line}`);
  }
  return { meta, body: card.slice(m[0].length) };
}

const read = (out: string) => ({
  card: readFileSync(join(out, 'datacard.md'), 'utf8'),
  report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as AuditReport,
  run: JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { command: string[] | null },
});

/** The Hub's licence ids for the corpora tts-audit knows (https://hf.co/docs/hub/repositories-licenses). */
const HUB_LICENCES = ['unlicense', 'cc-by-4.0', 'cc0-1.0', 'other'];

describe('datacard.md of the demo audit (CLI)', () => {
  const out = tempDir();
  const r = cli(['audit', SAMPLES, '--out', out, '-q']);

  it('is written beside report.md, and the CLI names it', () => {
    expect(r.code).toBe(0);
    const again = cli(['audit', SAMPLES, '--out', out]);
    expect(again.stderr + again.stdout).toMatch(/datacard\.md/);
    expect(again.stderr + again.stdout).toMatch(/report\.html/);
  });

  it('has the Hub card metadata, with values that match report.json', () => {
    const { card, report } = read(out);
    const { meta } = frontMatter(card);
    expect(Object.keys(meta).sort()).toEqual(
      ['language', 'license', 'pretty_name', 'size_categories', 'tags', 'task_categories'].sort(),
    );
    expect(meta.task_categories).toEqual(['text-to-speech']);
    expect(meta.language).toEqual(['en']);
    expect(meta.license).toBe('unlicense'); // public domain, as the Hub's own lj_speech card says it
    expect(HUB_LICENCES).toContain(meta.license);
    expect(report.summary.kept).toBeLessThan(1000);
    expect(meta.size_categories).toEqual(['n<1K']);
    expect(meta.pretty_name).toBe(`${report.source.title}, curated by tts-audit`);
  });

  it('gives hours, clips and speakers of the kept set, what was dropped and why, and the command', () => {
    const { card, report, run } = read(out);
    const { body } = frontMatter(card);
    const s = report.summary;
    expect(body).toContain(`| kept | ${s.kept} | ${s.hoursKept.toFixed(3)} |`);
    expect(body).toContain(`| dropped | ${s.dropped} |`);
    expect(body).toContain(`- **Speakers**: ${report.dataset.totals!.speakers}.`);
    expect(body).toMatch(/- \*\*Gender\*\*: F [\d.]+ h \(100 %\)\./);
    const dropped = Object.entries(report.findings).filter(([, f]) => f.severity === 'error' && f.worst.length > 0);
    expect(dropped.length).toBeGreaterThan(3);
    for (const [code, f] of dropped) expect(body).toContain(`| \`${code}\` | ${f.clips} |`);
    // a malformed line is no clip: it drops nothing
    expect(body).not.toContain('`source.malformed_line`');
    expect(run.command).toEqual(['audit', SAMPLES, '--out', out]); // the second run's
    expect(body).toContain(`\`\`\`sh\ntts-audit audit ${SAMPLES} --out ${out}\n\`\`\``);
    expect(body).toMatch(/## Caveats\n\n- /);
    expect(body).toMatch(/fails 3 rules of the gate/);
  });
});

describe('size_categories', () => {
  it('uses the Hub buckets by clips kept', () => {
    expect([0, 999, 1000, 13_099, 99_999, 100_000, 2_000_000].map(sizeCategory)).toEqual([
      'n<1K',
      'n<1K',
      '1K<n<10K',
      '10K<n<100K',
      '10K<n<100K',
      '100K<n<1M',
      '1M<n<10M',
    ]);
  });
});

describe('datacard.md of other corpora (real clips)', () => {
  it('VCTK: CC BY 4.0, accents and genders from speaker-info.txt', async () => {
    const out = tempDir();
    const { report } = await audit({ source: join(REAL, 'vctk'), out, sourceOptions: { mic: 'both' } });
    const { meta, body } = frontMatter(readFileSync(join(out, 'datacard.md'), 'utf8'));
    expect(meta.license).toBe('cc-by-4.0');
    expect(meta.language).toEqual(['en']);
    const accents = Object.keys(report.dataset.coverage!.accent.groups);
    expect(accents.length).toBeGreaterThan(0);
    for (const a of accents) expect(body).toMatch(new RegExp(`\\*\\*Accents\\*\\*:.*${a} [\\d.]+ h`));
    expect(body).toContain('Made by a library call');
  });

  it('MLS Spanish: the language from the clips, CC BY 4.0', async () => {
    const out = tempDir();
    await audit({ source: join(REAL, 'mls', 'spanish'), out });
    const { meta } = frontMatter(readFileSync(join(out, 'datacard.md'), 'utf8'));
    expect(meta.language).toEqual(['es']);
    expect(meta.license).toBe('cc-by-4.0');
  });

  it('a NeMo manifest: no licence claimed, and the card says to add one', async () => {
    const out = tempDir();
    const data = tempDir();
    const { copyFileSync, writeFileSync } = await import('node:fs');
    copyFileSync(join(REAL, 'ljspeech', 'wavs', 'LJ001-0001.wav'), join(data, 'a.wav'));
    writeFileSync(
      join(data, 'manifest.json'),
      JSON.stringify({ audio_filepath: 'a.wav', text: 'a test', duration: 9.655 }) + '\n',
    );
    await audit({ source: join(data, 'manifest.json'), out });
    const { meta, body } = frontMatter(readFileSync(join(out, 'datacard.md'), 'utf8'));
    expect(meta.license).toBeUndefined();
    expect(body).toMatch(/\*\*Licence\*\*: not known to tts-audit/);
  });
});
