import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { configSchema } from '../config/schema.js';
import { InputFileError, readJsonFile } from '../config/load.js';
import { evaluateGate, type RuleResult } from './gate.js';
import { reportSchema, type AuditReport } from './report-schema.js';
import { CLIPS_FILE, fileSha256, readRunRecord, RUN_FILE } from './run-record.js';

export interface CheckResult {
  passed: boolean;
  rules: RuleResult[];
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

/**
 * The validation gate: a report and the gate rules of a config (the report's own config when none
 * is given). Throws `InputFileError` naming the file for unreadable, invalid or stale input.
 */
export async function check(reportPath: string, configPath?: string): Promise<CheckResult> {
  const report = await readJsonFile(reportPath, reportSchema, 'report');
  await verifyFinishedRun(reportPath, report);
  const gate = configPath ? (await readJsonFile(configPath, configSchema, 'config')).gate : report.config.gate;
  const rules = evaluateGate(report, gate);
  return { passed: rules.every((r) => r.holds), rules };
}
