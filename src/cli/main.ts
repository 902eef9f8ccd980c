#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { runAudit, runCheck, runDiff, runMerge } from './commands.js';
import { sources } from '../sources/index.js';
import { VERSION } from '../version.js';

// Exit codes: 0 ran (audit, merge) / gate holds (check) / no differences (diff), 1 gate fails or the audits differ,
// 2 bad input or usage; 130 an audit interrupted by Ctrl-C.
const program = new Command()
  .name('tts-audit')
  .description('Audit and curate text-to-speech training datasets.')
  .version(VERSION)
  .exitOverride()
  .showHelpAfterError();

program
  .command('audit')
  .description('audit a dataset and write report.json, report.md, clips.jsonl and curated/')
  .argument(
    '<source>',
    'dataset folder, a manifest or parquet file (.jsonl, .csv/.tsv, .parquet), or hf://datasets/<owner>/<name>[@revision]',
  )
  .requiredOption('-o, --out <dir>', 'output folder')
  .option('-f, --format <name>', `dataset layout: auto, ${sources.map((s) => s.name).join(', ')}`, 'auto')
  .option('--mic <mic>', 'VCTK 0.92 microphone: mic1, mic2 or both', 'mic1')
  .option(
    '--columns <map>',
    'column mapping for tabular manifests and parquet, e.g. text=sentence,audio=path,speaker=client_id',
  )
  .option('--subset <name>', 'Hub dataset config (subset) to read')
  .option('--split <name>', 'Hub dataset split to read')
  .option('--cache-dir <dir>', 'where Hub downloads are kept (default ~/.cache/tts-audit, or $TTS_AUDIT_CACHE)')
  .option(
    '--hub-url <url>',
    'Hub endpoint (default $HF_ENDPOINT, else https://huggingface.co); the token comes from $HF_TOKEN',
  )
  .option(
    '--audio-root <dir>',
    'a folder outside the dataset whose audio a manifest may name (absolute paths); repeatable',
    (dir: string, dirs: string[] = []) => [...dirs, dir],
  )
  .option('-c, --config <file>', 'JSON config: thresholds, severities, gate rules')
  .option(
    '--profile <name>',
    'default, or deep: adds the transcript–audio alignment (espeak-ng, ~60× real time)',
    'default',
  )
  .option('--limit <n>', 'audit only the first n clips in manifest order (the report says so)')
  .option('--sample <n>', 'audit a seeded random sample of n clips; the report gives 95 % intervals')
  .option('--seed <s>', 'seed of --sample and --asr-sample (default 1)')
  .option(
    '--asr-sample <n>',
    'with --profile deep: pocketsphinx also decodes a seeded sample of n clips freely (~1× real time each); the report gives their transcript-error rate with a 95 % interval',
  )
  .option('--shard <k/n>', 'audit shard k of n (by a hash of the clip id); combine the shards with `merge`')
  .option('-j, --jobs <n>', 'clips analysed in parallel on worker threads (default: the available cores)')
  .option('--emit <formats>', 'manifests added to curated/, comma-separated: nemo, lhotse, csv')
  .option('--apply-trims', 'curated/ holds trimmed copies (same format) of clips with a suggested trim, not links')
  .option('--curated-audio <mode>', 'how curated/ holds the kept audio: symlink (default), hardlink or copy')
  .option('--resume', 'continue the run recorded in --out (killed or interrupted): done clips are not redone')
  .option('--force', 'replace the audit of another source found in --out')
  .option('-q, --quiet', 'no progress output')
  .action(async (source: string, opts) => {
    process.exitCode = await runAudit(source, opts, process.argv.slice(2));
  });

program
  .command('merge')
  .description('combine the output folders of `audit --shard K/N` runs into the outputs of one unsharded run')
  .argument('<shards...>', 'the shard output folders, one per K (any order)')
  .requiredOption('-o, --out <dir>', 'output folder for the merged report, clips.jsonl and curated/')
  .option('--force', 'replace the audit of another source found in --out')
  .option('-q, --quiet', 'no progress output')
  .action(async (shards: string[], opts) => {
    process.exitCode = await runMerge(shards, opts);
  });

program
  .command('check')
  .description('gate a report against dataset-level rules; exit 0 when all hold, 1 when any fails, 2 on bad input')
  .argument('<report>', 'report.json written by audit, or the output folder holding it')
  .option('-c, --config <file>', 'JSON config whose `gate` rules apply (default: the rules in the report)')
  .option(
    '--json',
    'print one JSON object: verdict, each rule with value and limit, the report (schemas/check.schema.json)',
  )
  .option(
    '--github',
    'print GitHub Actions workflow commands (::error per failing rule, ::notice on a pass); appends a summary to $GITHUB_STEP_SUMMARY when set',
  )
  .action(async (report: string, opts) => {
    process.exitCode = await runCheck(report, opts);
  });

program
  .command('diff')
  .description(
    'compare two audits: clips added, removed, newly failing and fixed, and dataset figures that moved; exit 0 same, 1 differ, 2 bad input',
  )
  .argument('<old>', 'the earlier audit: its output folder or report.json (clip by clip when clips.jsonl is beside it)')
  .argument('<new>', 'the later audit, likewise')
  .option('--json', 'print one JSON object (schemas/diff.schema.json)')
  .option('--tolerance <x>', 'relative change beyond which a dataset figure counts as moved (0.05 = 5 %)', '0.05')
  .option('--show <n>', 'ids listed per kind of clip change', '20')
  .option(
    '--fail-on <kinds>',
    'exit 1 only for these kinds, comma-separated: added, removed, newly-failing, fixed, figures, or any',
    'any',
  )
  .action(async (oldPath: string, newPath: string, opts) => {
    process.exitCode = await runDiff(oldPath, newPath, opts);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    console.error(`tts-audit: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  }
}
