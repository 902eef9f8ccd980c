import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES, cli, tempDir } from './helpers/run.js';

describe('tts-audit CLI', () => {
  let out: string;
  let audited: ReturnType<typeof cli>;

  beforeAll(() => {
    out = tempDir();
    audited = cli(['audit', SAMPLES, '--out', out, '--quiet']);
  });

  it('audit exits 0 and writes every output, whatever it found', () => {
    expect(audited.code, audited.stderr).toBe(0);
    for (const f of ['report.json', 'report.md', 'clips.jsonl', 'curated/metadata.csv', 'curated/dropped.jsonl']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
  });

  it('check exits 0 when every rule holds', () => {
    const config = join(out, 'lenient.json');
    writeFileSync(
      config,
      JSON.stringify({
        gate: { maxDroppedFraction: 0.6, maxUnreadableFraction: 0.2, maxMalformedLines: 1, minMedianSnrDb: 10 },
      }),
    );
    const r = cli(['check', join(out, 'report.json'), '--config', config]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/gate passed/);
  });

  it('check exits 1 with one line per failed rule', () => {
    const config = join(out, 'strict.json');
    writeFileSync(
      config,
      JSON.stringify({
        gate: { maxDroppedFraction: 0.1, minHoursKept: 5, maxFindingFraction: { 'text.duplicate': 0.01 } },
      }),
    );
    const r = cli(['check', join(out, 'report.json'), '--config', config]);
    expect(r.code).toBe(1);
    const fails = r.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
    const names = fails.map((l) => l.split(':')[0]);
    // The demo set drops half its clips, is 0.01 h long, has a malformed line, a missing and a truncated file.
    expect(names).toEqual(
      expect.arrayContaining([
        'FAIL minHoursKept',
        'FAIL maxDroppedFraction',
        'FAIL maxFindingFraction[text.duplicate]',
        'FAIL maxMalformedLines',
        'FAIL maxUnreadableFraction',
      ]),
    );
    expect(fails.length).toBe(5);
  });

  it('check uses the gate rules stored in the report when no config is given', () => {
    const r = cli(['check', join(out, 'report.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL maxDroppedFraction/);
  });

  it('check exits 2 naming the file for a missing, malformed or invalid input', () => {
    const missing = cli(['check', join(out, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');

    const broken = join(out, 'broken.json');
    writeFileSync(broken, '{\n  "gate": {\n    "minHoursKept": 1,,\n  }\n}\n');
    const syntax = cli(['check', join(out, 'report.json'), '--config', broken]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/broken\.json:3:\d+: config is not valid JSON/);

    const wrong = join(out, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ gate: { maxDroppedFraction: 'lots' }, severity: { 'no.such_code': 'off' } }));
    const invalid = cli(['check', join(out, 'report.json'), '--config', wrong]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('gate.maxDroppedFraction');
    expect(invalid.stderr).toContain('no.such_code');

    const notReport = join(out, 'not-report.json');
    writeFileSync(notReport, JSON.stringify({ hello: 'world' }));
    const bad = cli(['check', notReport]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid report');
  });

  it('audit exits 2 for a folder that is no known layout, or a wrong --format', () => {
    const empty = tempDir();
    const r = cli(['audit', empty, '--out', join(out, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no known dataset layout/);
    const wrong = cli(['audit', empty, '--out', join(out, 'x'), '--format', 'ljspeech']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--format ljspeech expects metadata\.csv/);
    const mismatch = cli(['audit', SAMPLES, '--out', join(out, 'y'), '--format', 'vctk']);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/--format vctk expects txt\/.*it looks like ljspeech/);
    const usage = cli(['audit', SAMPLES]);
    expect(usage.code).toBe(2);
  });

  it('audit honours a config: a severity turned off keeps the clip, a threshold moved drops more', () => {
    const config = join(out, 'overrides.json');
    writeFileSync(
      config,
      JSON.stringify({ severity: { 'text.unnormalized': 'off' }, analyzers: { signal: { minDurationSec: 2 } } }),
    );
    const dir = join(out, 'overridden');
    const r = cli(['audit', SAMPLES, '--out', dir, '--config', config, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const kept = readFileSync(join(dir, 'curated', 'metadata.csv'), 'utf8');
    expect(kept).toContain('LJ001-0007_unnormalized|');
    // LJ001-0002 lasts 1.9 s: under the raised minimum it is now too short.
    expect(kept).not.toMatch(/^LJ001-0002\|/m);
  });
});
