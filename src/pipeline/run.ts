import { randomUUID } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { SourceInfo } from '../analyzers/types.js';
import { configSchema, type AuditConfig, type AuditConfigInput } from '../config/schema.js';
import { InputError } from '../errors.js';
import { CURATED_OWN_NAMES, emittedNames } from '../outputs/emit-formats.js';
import { prepareOut, refuseInsideDataset, sha256Of, type RunRecord } from '../outputs/run-record.js';
import { selectSource } from '../sources/index.js';
import type { Source, SourceOptions } from '../sources/types.js';
import { VERSION } from '../version.js';
import { decodeShareOf } from '../analyzers/clip/alignment.js';
import { kernelsProblem } from '../kernels/wasm.js';
import { sampleIds, selectItems, type Selection } from './select.js';

export class AuditInputError extends InputError {}

/** What the read stage of `audit()` settles before any clip is analysed. */
export interface RunPlan {
  config: AuditConfig;
  /** The dataset folder, or a URI (`hf://…`), that the source's paths resolve from. */
  root: string;
  source: Source;
  sourceOptions: SourceOptions;
  /** Real paths of the folders clip audio may be read from: the dataset root and every `--audio-root`. */
  readRoots: string[];
  info: SourceInfo;
  title: string;
  selection: Selection;
  /** The output folder's run record, when the run writes outputs. */
  record?: RunRecord;
  /** Continuing the run recorded in the output folder. */
  resuming: boolean;
  /** `--resume` found the recorded run finished: nothing to do. */
  finished: boolean;
}

export interface PlanArgs {
  source: string;
  format?: string;
  sourceOptions?: SourceOptions;
  config?: AuditConfigInput;
  profile?: 'default' | 'deep';
  selection: Selection;
  /** A seeded sample of this many of the audited clips that the recognizer also decodes freely (`--asr-sample`). */
  asrSample?: { clips: number; seed: number };
  out?: string;
  resume?: boolean;
  force?: boolean;
  command?: string[];
  /** The source as the report names it, when not `source` (a merge reads the shards' absolute root). */
  given?: string;
}

const isUri = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

/** The layout choices as run.json keeps them: a secret never goes to disk. */
function recordedOptions({ token: _token, ...rest }: SourceOptions): Record<string, unknown> {
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/** A URI (`hf://…`) is its own root; a manifest file names its folder as the root, its paths resolving from there. */
async function locate(given: string, options: SourceOptions): Promise<{ root: string; sourceOptions: SourceOptions }> {
  if (isUri(given)) return { root: given, sourceOptions: { ...options } };
  const path = resolve(given);
  const info = await stat(path).catch(() => undefined);
  if (!info || !(info.isDirectory() || info.isFile())) throw new AuditInputError(`${given}: no such folder or file`);
  return info.isFile()
    ? { root: dirname(path), sourceOptions: { ...options, manifest: basename(path) } }
    : { root: path, sourceOptions: { ...options } };
}

function parseConfig(input: AuditConfigInput | undefined, profile: PlanArgs['profile']): AuditConfig {
  const parsed = configSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new AuditInputError(`invalid config: ${issues.join('; ')}`);
  }
  const config = parsed.data;
  if (profile === 'deep') {
    config.analyzers.alignment.enabled = true;
    if (config.analyzers.silence.vad === 'auto') config.analyzers.silence.vad = 'always';
  }
  return config;
}

/** Only the options a selection uses, in one key order, so two runs' selections compare as JSON. */
function canonical(s: Selection): Selection {
  return {
    ...(s.limit !== undefined ? { limit: s.limit } : {}),
    ...(s.sample !== undefined ? { sample: s.sample, seed: s.seed } : {}),
    ...(s.shard ? { shard: { index: s.shard.index, count: s.shard.count } } : {}),
  };
}

/** The real paths of the dataset root and the extra audio roots; a URI's audio travels with it, so none. */
async function readRootsOf(root: string, options: SourceOptions): Promise<string[]> {
  if (isUri(root)) return [];
  const roots = [root];
  for (const dir of options.audioRoots ?? []) {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new AuditInputError(`--audio-root ${dir}: no such folder`);
    roots.push(dir);
  }
  return Promise.all(roots.map((r) => realpath(r)));
}

/** A dataset file curated/ keeps under its own name must not be one of the names curated/ gives its other files. */
async function refuseCuratedClash({ source, root, sourceOptions, config }: RunPlan): Promise<void> {
  const own = (await source.curatedNames?.(root, sourceOptions)) ?? [];
  for (const name of own) {
    if ((CURATED_OWN_NAMES as readonly string[]).includes(name))
      throw new AuditInputError(`${name}: curated/ writes its own ${name}; rename the dataset's manifest`);
    const format = config.curated.emit.find((f) => emittedNames[f].includes(name));
    if (format !== undefined)
      throw new AuditInputError(
        `--emit ${format} writes curated/${name}, the name the dataset's own manifest keeps there; leave ${format} out or rename the manifest`,
      );
  }
}

/** Validates the config, finds the layout, and (with `out`) makes the output folder the run's own. */
export async function planRun(args: PlanArgs): Promise<RunPlan> {
  const broken = kernelsProblem();
  if (broken) throw new AuditInputError(`cannot analyse audio: ${broken}`);
  const config = parseConfig(args.config, args.profile);
  const selection = canonical(args.selection);
  const located = await locate(args.source, args.sourceOptions ?? {});
  const root = located.root;
  const sourceOptions = { ...located.sourceOptions, maxLineBytes: config.limits.maxManifestLineKB * 1024 };
  const readRoots = await readRootsOf(root, sourceOptions);
  const source = await selectSource(root, args.format, sourceOptions);
  const facts = source.inspect ? await source.inspect(root, sourceOptions) : {};
  const info: SourceInfo = {
    name: source.name,
    language: facts.language ?? source.language,
    nominalFormat: facts.nominalFormat ?? source.nominalFormat,
    expectsNormalizedText: facts.expectsNormalizedText ?? source.expectsNormalizedText,
  };
  const title = facts.title ?? source.title;
  if (args.asrSample !== undefined) {
    // The N clips of smallest seeded hash among those the run audits, admitted by one hash threshold.
    const { clips, seed } = args.asrSample;
    const { items } = await selectItems(source, root, sourceOptions, selection);
    const { ids } = await sampleIds(items, clips, seed, undefined);
    Object.assign(config.analyzers.alignment.recognizer, { decodeShare: decodeShareOf(ids, seed), seed });
  }
  const plan: RunPlan = {
    config,
    root,
    source,
    sourceOptions,
    readRoots,
    info,
    title,
    selection,
    resuming: false,
    finished: false,
  };
  if (args.out === undefined) return plan;
  await refuseInsideDataset(args.out, root);
  await refuseCuratedClash(plan);
  const fresh: RunRecord = {
    tool: { name: 'tts-audit', version: VERSION },
    runId: randomUUID(),
    state: 'running',
    command: args.command ?? null,
    source: {
      root: isUri(args.source) ? args.source : resolve(args.source),
      given: args.given ?? args.source,
      format: source.name,
    },
    sourceOptions: recordedOptions(args.sourceOptions ?? {}),
    selection,
    configSha256: sha256Of(JSON.stringify(config)),
    startedAt: new Date().toISOString(),
  };
  const force = args.force ?? false;
  const prepared = await prepareOut({ out: args.out, record: fresh, resume: args.resume ?? false, force });
  return { ...plan, ...prepared };
}
