import { configSchema } from '../config/schema.js';
import { readJsonFile } from '../config/load.js';
import { evaluateGate, type RuleResult } from './gate.js';
import { reportSchema } from './report-schema.js';

export interface CheckResult {
  passed: boolean;
  rules: RuleResult[];
}

/**
 * The validation gate: a report and the gate rules of a config (the report's own config when none
 * is given). Throws `InputFileError` naming the file for unreadable or invalid input.
 */
export async function check(reportPath: string, configPath?: string): Promise<CheckResult> {
  const report = await readJsonFile(reportPath, reportSchema, 'report');
  const gate = configPath ? (await readJsonFile(configPath, configSchema, 'config')).gate : report.config.gate;
  const rules = evaluateGate(report, gate);
  return { passed: rules.every((r) => r.holds), rules };
}
