import { access, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { configSchema } from '../config/schema.js';
import { InputFileError, readJsonFile } from '../config/load.js';
import { VERSION } from '../version.js';
import { evaluateGate, type RuleResult } from './gate.js';
import { reportSchema, type AuditReport } from './report-schema.js';
import { CLIPS_FILE, fileSha256, readRunRecord, RUN_FILE } from './run-record.js';

export const REPORT_FILE = 'report.json';

export interface CheckResult {
  passed: boolean;
  rules: RuleResult[];
  /** The report.json read (an output folder given is resolved to the report.json inside it). */
  reportPath: string;
  /** The config file whose gate rules applied; undefined when the report's own rules did. */
  configPath?: string;
  source: AuditReport['source'];
  runId?: string;
  /** What the figures cover when the run audited a part of the dataset (a limit, a sample, a shard). */
  selectionNote?: string;
}

/** `report.json`, or an audit output folder holding one. */
export async function reportPathOf(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() ? join(path, REPORT_FILE) : path;
}

/**
 * Refuses a report that does not describe a finished run: one marked interrupted, or one whose run.json beside it
 * says another run (or an unfinished one) wrote the folder, or whose clips.jsonl is not the one the run wrote.
 */
export async function verifyFinishedRun(reportPath: string, report: AuditReport): Promise<void> {
  const refuse = (why: string) => new InputFileError(`${reportPath}: ${why}`);
  if (report.run.state !== 'finished')
    throw refuse('the run that wrote this report was interrupted; finish it with `tts-audit audit … --resume`');
  const dir = dirname(reportPath);
  const record = await readRunRecord(dir);
  if (!record) return; // a report copied on its own stands by itself
  if (record.runId !== report.run.runId)
    throw refuse(`${RUN_FILE} beside it records another run (${record.state}): the report is stale`);
  if (record.state !== 'finished') throw refuse(`${RUN_FILE} beside it says the run is ${record.state}`);
  const clips = join(dir, CLIPS_FILE);
  const present = await access(clips).then(
    () => true,
    () => false,
  );
  if (present && record.clips && (await fileSha256(clips)) !== record.clips.sha256)
    throw refuse(`${CLIPS_FILE} beside it is not the one this run wrote (changed or replaced)`);
}

/** A finished run's report, read and validated; throws `InputFileError` naming the file otherwise. */
export async function readFinishedReport(path: string): Promise<{ reportPath: string; report: AuditReport }> {
  const reportPath = await reportPathOf(path);
  const report = await readJsonFile(reportPath, reportSchema, 'report');
  await verifyFinishedRun(reportPath, report);
  return { reportPath, report };
}

/**
 * The validation gate: a report (or the output folder holding it) and the gate rules of a config (the report's own
 * config when none is given). Throws `InputFileError` naming the file for unreadable, invalid or stale input.
 */
export async function check(reportPath: string, configPath?: string): Promise<CheckResult> {
  const read = await readFinishedReport(reportPath);
  const { report } = read;
  const gate = configPath ? (await readJsonFile(configPath, configSchema, 'config')).gate : report.config.gate;
  const rules = evaluateGate(report, gate);
  const sel = report.selection;
  const partial = sel && (sel.limit !== undefined || sel.sample !== undefined || sel.shard !== undefined);
  return {
    passed: rules.every((r) => r.holds),
    rules,
    reportPath: read.reportPath,
    ...(configPath ? { configPath } : {}),
    source: report.source,
    ...(report.run.runId ? { runId: report.run.runId } : {}),
    ...(partial ? { selectionNote: sel.note } : {}),
  };
}

const tool = z.object({ name: z.literal('tts-audit'), version: z.string() });

/** What `check --json` prints: one object, the verdict first. */
export const checkOutputSchema = z.union([
  z.object({
    tool,
    verdict: z.enum(['pass', 'fail']),
    failed: z.number().int().describe('rules that do not hold'),
    rules: z.array(
      z.object({
        rule: z.string(),
        holds: z.boolean(),
        value: z.number().nullable().describe('the figure the rule judged; null when the report has none'),
        limit: z.number(),
        message: z.string(),
      }),
    ),
    report: z.object({
      path: z.string(),
      runId: z.string().nullable(),
      source: z.object({ root: z.string(), format: z.string(), title: z.string() }),
      selection: z.string().nullable().describe('what the figures cover when the run audited part of the dataset'),
    }),
    gateFrom: z.string().describe('`report` (the rules stored in it) or the config file given with --config'),
  }),
  z.object({
    tool,
    verdict: z.literal('error').describe('bad input or an unfinished run (exit 2)'),
    error: z.string(),
  }),
]);

export type CheckOutput = z.output<typeof checkOutputSchema>;

/** A rule's message without the `ok`/`FAIL` column, which `holds` carries. */
export const ruleText = (r: RuleResult) => r.message.replace(/^(ok {2}|FAIL) /, '');

export function checkJson(result: CheckResult): CheckOutput {
  return {
    tool: { name: 'tts-audit', version: VERSION },
    verdict: result.passed ? 'pass' : 'fail',
    failed: result.rules.filter((r) => !r.holds).length,
    rules: result.rules.map((r) => ({
      rule: r.rule,
      holds: r.holds,
      value: Number.isFinite(r.actual) ? r.actual : null,
      limit: r.limit,
      message: ruleText(r),
    })),
    report: {
      path: result.reportPath,
      runId: result.runId ?? null,
      source: { root: result.source.root, format: result.source.format, title: result.source.title },
      selection: result.selectionNote ?? null,
    },
    gateFrom: result.configPath ?? 'report',
  };
}

export const checkErrorJson = (message: string): CheckOutput => ({
  tool: { name: 'tts-audit', version: VERSION },
  verdict: 'error',
  error: message,
});

// GitHub Actions reads a workflow command from any stdout line that starts with `::`. Escaping line breaks keeps
// whatever a message quotes (a dataset title, a finding code) on its own line, so it can never start a second one.
export const escapeCommandData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeCommandProperty = (s: string) => escapeCommandData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function workflowCommand(
  command: 'error' | 'warning' | 'notice',
  message: string,
  properties: Record<string, string> = {},
): string {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeCommandProperty(v)}`)
    .join(',');
  return `::${command}${props ? ' ' + props : ''}::${escapeCommandData(message)}`;
}

export const GATE_TITLE = 'tts-audit gate';

/** `check --github`: an `::error` per failing rule, a `::warning` for a partial report, a `::notice` on a pass. */
export function githubCommands(result: CheckResult): string[] {
  const title = { title: GATE_TITLE };
  const failed = result.rules.filter((r) => !r.holds);
  const lines = failed.map((r) => workflowCommand('error', ruleText(r), title));
  if (result.selectionNote)
    lines.push(workflowCommand('warning', `the gate judged part of the dataset: ${result.selectionNote}`, title));
  const of = `${result.source.title} (${result.reportPath})`;
  lines.push(
    result.passed
      ? workflowCommand('notice', `gate passed: all ${result.rules.length} rules hold for ${of}`, title)
      : `gate failed: ${failed.length} of ${result.rules.length} rules for ${escapeCommandData(of)}`,
  );
  return lines;
}

const cell = (s: string) =>
  s
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;');
const figure = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : '–');

/** The Markdown a job summary ($GITHUB_STEP_SUMMARY) shows: the verdict and every rule. */
export function checkSummaryMarkdown(result: CheckResult): string {
  const failed = result.rules.filter((r) => !r.holds).length;
  const describe = (r: RuleResult) => ruleText(r).replace(`${r.rule}: `, '');
  const rows = result.rules.map(
    (r) =>
      `| ${r.holds ? '✅' : '❌'} | \`${cell(r.rule)}\` | ${figure(r.actual)} | ${figure(r.limit)} | ${cell(describe(r))} |`,
  );
  return [
    `### ${GATE_TITLE}: ${result.passed ? 'passed' : `failed (${failed} of ${result.rules.length} rules)`}`,
    '',
    `${cell(result.source.title)} (${cell(result.source.format)}), \`${cell(result.reportPath)}\`` +
      (result.selectionNote ? ` — ${cell(result.selectionNote)}` : ''),
    '',
    '| | rule | value | limit | |',
    '|---|---|---:|---:|---|',
    ...rows,
    '',
  ].join('\n');
}
