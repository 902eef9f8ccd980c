import { appendFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { counted } from '../util/plural.js';
import {
  check,
  checkErrorJson,
  checkJson,
  checkSummaryMarkdown,
  GATE_TITLE,
  githubCommands,
  workflowCommand,
} from '../outputs/check.js';
import { diffAudits, diffFails, parseFailOn } from '../outputs/diff.js';
import { renderDiffText } from '../outputs/diff-text.js';
import { audit } from '../pipeline/audit.js';
import { merge } from '../pipeline/merge.js';
import { progressReporter } from './progress.js';
import { DATACARD_FILE, HTML_FILE } from '../outputs/run-record.js';
import { transcriptSummaryLine } from '../outputs/report-md-transcripts.js';
import { auditOptionsOf, type AuditFlags } from './audit-flags.js';

const log = (line: string) => process.stderr.write(line + '\n');

/** Runs a command; bad input (exit 2) is one line naming what to fix, never a stack trace. */
async function exitCodeOf(
  run: () => Promise<number>,
  cleanup: () => void = () => {},
  report: (message: string) => void = () => {},
): Promise<number> {
  try {
    return await run();
  } catch (err) {
    cleanup();
    if (!(err instanceof InputError)) throw err;
    log(`tts-audit: ${err.message}`);
    report(err.message);
    return 2;
  }
}

/** What a run wrote, and which of it a person opens first. */
function closingLines(out: string, files: string[]): string[] {
  const lines = [`wrote ${files.map((f) => `${out}/${f}`).join(', ')}`];
  if (files.includes(HTML_FILE))
    lines.push(
      `read ${out}/${HTML_FILE} in a browser (or report.md); ${out}/${DATACARD_FILE} describes curated/ for publishing`,
    );
  return lines;
}

/** The command that continues an interrupted run, quoted for a POSIX shell. */
export function resumeCommand(argv: string[]): string {
  const args = argv.filter((a) => a !== '--resume' && a !== '--force');
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['tts-audit', ...args, '--resume'].map(quote).join(' ');
}

export async function runAudit(source: string, opts: AuditFlags, argv: string[] = []): Promise<number> {
  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(130); // a second Ctrl-C: give up at once
    log('\ntts-audit: stopping after the clips in flight; the outputs will be written and marked interrupted');
    stop.abort();
  };
  const progress = opts.quiet ? undefined : await progressReporter();
  const run = async () => {
    const { selection, asrSample, jobs, config, sourceOptions } = await auditOptionsOf(opts);
    process.on('SIGINT', onSigint);
    const { report, files } = await audit({
      source,
      sourceOptions,
      profile: opts.profile as 'default' | 'deep',
      format: opts.format,
      out: opts.out,
      config,
      selection,
      ...(asrSample ? { asrSample } : {}),
      jobs,
      resume: opts.resume,
      force: opts.force,
      command: argv,
      signal: stop.signal,
      onProgress: progress?.onProgress,
      progressEveryMs: progress?.everyMs,
    });
    progress?.stop();
    const s = report.summary;
    if (files.length === 0 && opts.resume) {
      log(`tts-audit: the run in ${opts.out} had finished; nothing to resume`);
      return 0;
    }
    if (!opts.quiet) {
      log(
        `${report.source.title} (format ${report.source.format}${opts.format === 'auto' ? ', recognised automatically' : ''}): ${s.listed} clips listed, ${s.analysed} analysed (${s.hoursAnalysed.toFixed(3)} h), ${s.kept} kept, ${s.dropped} dropped, ${counted(s.malformedLines, 'malformed line')}${s.unreadableFiles > 0 ? `, ${counted(s.unreadableFiles, 'unreadable manifest/shard file')}` : ''}`,
      );
      const escaped = report.findings['source.path_escape']?.clips ?? 0;
      if (s.analysed === 0 && escaped > 0)
        log(
          `tts-audit: every audio path the manifest names (${escaped}) lies outside ${source}; if the audio is kept elsewhere, allow its folder with --audio-root DIR`,
        );
      const sel = report.selection;
      if (sel && (sel.limit !== undefined || sel.sample !== undefined)) log(sel.note);
      const transcripts = transcriptSummaryLine(report);
      if (transcripts) log(transcripts);
      closingLines(opts.out, files).forEach((l) => log(l));
    }
    if (report.run.state === 'interrupted') {
      log(`tts-audit: interrupted; continue with:\n  ${resumeCommand(argv)}`);
      return 130;
    }
    return 0;
  };
  try {
    return await exitCodeOf(run, () => progress?.stop());
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export interface CheckFlags {
  config?: string;
  json?: boolean;
  github?: boolean;
}

/** `check`: the verdict as lines, one JSON object (`--json`) or GitHub Actions workflow commands (`--github`). */
export async function runCheck(reportPath: string, opts: CheckFlags): Promise<number> {
  const out = (line: string) => process.stdout.write(line + '\n');
  const inputError = (message: string) => {
    if (opts.json) out(JSON.stringify(checkErrorJson(message)));
    if (opts.github) out(workflowCommand('error', message, { title: GATE_TITLE }));
  };
  return exitCodeOf(
    async () => {
      if (opts.json && opts.github) throw new InputError('--json and --github exclude each other: pick one');
      const result = await check(reportPath, opts.config);
      if (opts.json) out(JSON.stringify(checkJson(result), null, 2));
      else if (opts.github) {
        for (const line of githubCommands(result)) out(line);
        const summary = process.env.GITHUB_STEP_SUMMARY;
        if (summary) await appendFile(summary, checkSummaryMarkdown(result) + '\n');
      } else {
        for (const r of result.rules) if (!r.holds) out(r.message);
        if (result.selectionNote) out(`note: the gate judged part of the dataset: ${result.selectionNote}`);
        const failed = result.rules.filter((r) => !r.holds).length;
        out(
          failed === 0
            ? `gate passed: all ${result.rules.length} rules hold`
            : `gate failed: ${failed} of ${result.rules.length} rules`,
        );
      }
      return result.passed ? 0 : 1;
    },
    undefined,
    inputError,
  );
}

export interface DiffFlags {
  json?: boolean;
  tolerance?: string;
  show?: string;
  failOn?: string;
}

/** `diff OLD NEW`: exit 0 when nothing differs beyond the tolerance, 1 when something does, 2 on bad input. */
export function runDiff(oldPath: string, newPath: string, opts: DiffFlags): Promise<number> {
  return exitCodeOf(async () => {
    const tolerance = opts.tolerance === undefined ? undefined : Number(opts.tolerance);
    if (tolerance !== undefined && !(tolerance >= 0))
      throw new InputError(`--tolerance takes a relative change ≥ 0 (0.05 is 5 %), not "${opts.tolerance}"`);
    const show = opts.show === undefined ? undefined : Number(opts.show);
    if (show !== undefined && !(Number.isInteger(show) && show >= 0))
      throw new InputError(`--show takes a whole number ≥ 0, not "${opts.show}"`);
    const failOn = parseFailOn(opts.failOn ?? 'any');
    const diff = await diffAudits(oldPath, newPath, { tolerance, show });
    const fails = diffFails(diff, failOn);
    process.stdout.write(opts.json ? JSON.stringify(diff, null, 2) + '\n' : renderDiffText(diff));
    return fails ? 1 : 0;
  });
}

export async function runMerge(
  shards: string[],
  opts: { out: string; force?: boolean; quiet?: boolean },
): Promise<number> {
  const progress = opts.quiet ? undefined : await progressReporter();
  const run = async () => {
    const { report, files } = await merge({
      shards,
      out: opts.out,
      force: opts.force,
      command: process.argv.slice(2),
      onProgress: progress?.onProgress,
      progressEveryMs: progress?.everyMs,
    });
    progress?.stop();
    if (!opts.quiet) {
      const s = report.summary;
      log(
        `merged ${shards.length} shards: ${s.listed} clips listed, ${s.analysed} analysed, ${s.kept} kept, ${s.dropped} dropped`,
      );
      closingLines(opts.out, files).forEach((l) => log(l));
    }
    return 0;
  };
  return exitCodeOf(run, () => progress?.stop());
}
