import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  audit,
  check,
  checkJson,
  checkOutputSchema,
  configSchema,
  evaluateGate,
  githubCommands,
  InputFileError,
  workflowCommand,
  type AuditReport,
  type CheckResult,
} from '../src/index.js';
import { REAL, ROOT, cli, tempDir } from './helpers/run.js';

/** The CLI with extra environment variables (GitHub Actions sets GITHUB_STEP_SUMMARY). */
function cliWithEnv(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What the Actions runner does to a command's data: %0D, %0A, then %25 back into characters. */
const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

const COMMAND = /^::(error|warning|notice) title=tts-audit gate::/;

describe('check as a CI gate: --json, --github, exit codes', () => {
  let out: string;
  let report: AuditReport;

  beforeAll(async () => {
    out = tempDir();
    ({ report } = await audit({ source: join(REAL, 'ljspeech'), out, jobs: 1 }));
  });

  it('--json prints one object the schema accepts, rule by rule as the gate judged them (exit 0 on a pass)', () => {
    const config = join(out, 'lenient.json');
    const settings = { gate: { minClipsKept: 1, maxDroppedFraction: 0.5, minMedianSnrDb: 5 } };
    writeFileSync(config, JSON.stringify(settings));
    const r = cli(['check', out, '--json', '--config', config]);
    expect(r.code, r.stderr).toBe(0);
    const printed = checkOutputSchema.parse(JSON.parse(r.stdout));
    if (printed.verdict === 'error') throw new Error(printed.error);
    expect(printed.verdict).toBe('pass');
    expect(printed.failed).toBe(0);
    expect(printed.gateFrom).toBe(config);
    expect(printed.report).toMatchObject({ path: join(out, 'report.json'), runId: report.run.runId });
    expect(printed.report.source.root).toBe(report.source.root);
    const expected = evaluateGate(report, configSchema.parse(settings).gate);
    expect(printed.rules.map((x) => [x.rule, x.holds, x.value, x.limit])).toEqual(
      expected.map((x) => [x.rule, x.holds, x.actual, x.limit]),
    );
    expect(printed.rules.every((x) => x.message.startsWith(`${x.rule}: `))).toBe(true);
  });

  it('rule messages count in words people read: one speaker, no malformed lines', () => {
    const messages = evaluateGate(report, configSchema.parse({}).gate).map((r) => r.message);
    expect(report.dataset.totals?.speakers).toBe(1);
    expect(messages.find((m) => m.includes('minSpeakers:'))).toMatch(/: 1 speaker with analysed audio,/);
    expect(messages.find((m) => m.includes('maxMalformedLines:'))).toMatch(/: 0 malformed manifest lines,/);
  });

  it('--github prints an ::error per failing rule and appends a job summary (exit 1)', () => {
    const config = join(out, 'strict.json');
    writeFileSync(config, JSON.stringify({ gate: { minClipsKept: 100, minHoursKept: 5 } }));
    const summary = join(out, 'step-summary.md');
    writeFileSync(summary, 'an earlier step wrote this\n');
    const r = cliWithEnv(['check', join(out, 'report.json'), '--github', '--config', config], {
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    const errors = lines.filter((l) => l.startsWith('::error'));
    expect(errors.map((l) => unescapeData(l.replace(COMMAND, '')).split(':')[0])).toEqual([
      'minClipsKept',
      'minHoursKept',
    ]);
    expect(lines.filter((l) => l.startsWith('::')).every((l) => COMMAND.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^gate failed: 2 of \d+ rules/);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('an earlier step wrote this\n### tts-audit gate: failed (2 of')).toBe(true);
    expect(md).toMatch(/\| ❌ \| `minHoursKept` \| 0\.0\d+ \| 5 \|/);
  });

  it('bad input exits 2, with a verdict of error under --json; an interrupted run is refused', async () => {
    const r = cli(['check', join(out, 'nope.json'), '--json']);
    expect(r.code).toBe(2);
    const printed = checkOutputSchema.parse(JSON.parse(r.stdout));
    expect(printed.verdict).toBe('error');
    expect(printed.verdict === 'error' && printed.error).toContain('nope.json');

    const copy = tempDir();
    writeFileSync(
      join(copy, 'report.json'),
      JSON.stringify({ ...report, run: { ...report.run, state: 'interrupted' } }),
    );
    await expect(check(copy)).rejects.toThrow(InputFileError);
    await expect(check(copy)).rejects.toThrow(/interrupted/);
  });

  it('check() takes the output folder or its report.json and gives the same verdict', async () => {
    const [byDir, byFile] = [await check(out), await check(join(out, 'report.json'))];
    expect(byDir).toEqual(byFile);
    expect(checkJson(byDir).verdict).toBe(byDir.passed ? 'pass' : 'fail');
  });

  it('a message holding %, line breaks and :: cannot start a second workflow command', () => {
    const evil = '50 % of ::clips\n::error::injected\r\n::add-mask::secret\r::stop-commands::x';
    const result: CheckResult = {
      passed: false,
      rules: [{ rule: 'r', holds: false, actual: 1, limit: 0, message: `FAIL r: ${evil}` }],
      reportPath: '/d/report.json',
      source: { root: '/d', format: 'csv', title: 'set\n::warning::title' },
      selectionNote: 'a sample\n::notice::of 10',
    };
    const printed = githubCommands(result);
    // The runner splits stdout at \n, \r\n and \r: each command must stay one line.
    const lines = printed.join('\n').split(/\r\n|\n|\r/);
    expect(lines).toHaveLength(printed.length);
    expect(lines.filter((l) => l.startsWith('::'))).toHaveLength(2); // the rule's ::error and the sample ::warning
    expect(lines.filter((l) => l.startsWith('::')).every((l) => COMMAND.test(l))).toBe(true);
    expect(unescapeData(lines[0].replace(COMMAND, ''))).toBe(`r: ${evil}`);
    expect(workflowCommand('error', 'm', { title: 'a:b,c%\n' })).toBe('::error title=a%3Ab%2Cc%25%0A::m');
  });
});
