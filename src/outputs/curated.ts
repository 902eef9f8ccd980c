import { floatWav } from '../audio/wav-write.js';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeFile } from '../audio/decode.js';
import type { Source, SourceOptions } from '../sources/types.js';
import type { ClipRecords, Finding } from '../types.js';
import { tempNameFor } from '../util/atomic.js';
import type { CuratedConfig } from '../config/curated-schema.js';
import { keptClips } from './curated-clips.js';
import { layoutOf } from './curated-layouts.js';
import { openPlacer, type Placer } from './curated-place.js';
import type { TrimOutcome } from './curated-trim.js';
import { newFile } from './curated-files.js';
import type { CuratedLayout, DroppedClip, EmitClip, KeptClip, LayoutSession, TrimmedClip } from './curated-types.js';
import { emitters } from './emit-formats.js';

export type { DroppedClip, TrimmedClip };

const reasonsOf = (findings: Finding[]) => findings.map(({ clipId: _c, origin: _o, ...f }) => f);

/**
 * What `curated/` is made of: the source's layout holding only the kept clips (its manifests filtered, each kept
 * clip's audio linked or, with trims applied, copied trimmed, its per-clip files beside it), `dropped.jsonl` (one line
 * per dropped clip with every error that dropped it), `trims.jsonl` (kept clips to cut to [startSec, endSec] and to filter
 * (`highPassHz`, `notchHz`), why, and whether the copy was cut), and the manifests `emit` asks for.
 */
export interface CuratedArgs {
  source: Source;
  root: string;
  options: SourceOptions;
  outDir: string;
  isKept: (id: string) => boolean;
  /** Read once, in clip order (they live on disk at corpus scale). */
  dropped: ClipRecords<DroppedClip>;
  trims: ClipRecords<TrimmedClip>;
  /** The run's clips.jsonl (clips.jsonl.part for an interrupted run): what the audit measured, in source order. */
  clipsPath: string;
  config: CuratedConfig;
}

/** Why a suggested trim cannot become a trimmed copy of this clip, or undefined when it can. */
function noCopy(k: KeptClip, layout: CuratedLayout, rel: string | undefined): string | undefined {
  const a = k.utterance.audio;
  if (a.kind !== 'file') return 'audio from dataset rows is written as it comes';
  if (rel === undefined) return 'the audio lies outside the dataset';
  if (a.offsetSec !== undefined || a.durationSec !== undefined)
    return 'its manifest line gives an offset or duration, which a shorter copy would contradict';
  if (!layout.trimsAudio) return "the layout's manifest keeps the clip's offset and duration";
  return undefined;
}

/** Puts the clip's audio into curated/; says where (relative to curated/, or absolute outside) and whether it was cut. */
async function placeAudio(
  k: KeptClip,
  layout: CuratedLayout,
  placer: Placer,
  applyTrims: boolean,
): Promise<{ path?: string; cut?: TrimOutcome }> {
  const a = k.utterance.audio;
  const rel = layout.audioPath(k);
  let cut: TrimOutcome | undefined;
  if (applyTrims && k.trim?.cuts) {
    const why = noCopy(k, layout, rel);
    cut =
      why === undefined && a.kind === 'file' && rel !== undefined
        ? await placer.trimmed(rel, a.path, k.trim.startSec, k.trim.endSec)
        : { written: false, why: why ?? '' };
    if (cut.written) return { path: rel, cut };
  }
  const withCut = cut ? { cut } : {};
  if (a.kind === 'file') {
    if (rel === undefined) return { path: a.path, ...withCut };
    await placer.audio(rel, a.path);
    return { path: rel, ...withCut };
  }
  if (rel === undefined) return withCut;
  const bytes = a.kind === 'bytes' ? a.bytes : floatWav(a.samples, a.sampleRate);
  // Two ids that make one file name (ids differing only in punctuation): the later one is numbered.
  for (let n = 1; ; n += 1) {
    const name = n === 1 ? rel : rel.replace(/(\.[^./]+)?$/, `~${n}$1`);
    if ((await placer.bytes(name, bytes)) === 'placed') return { path: name, ...withCut };
  }
}

/** A segment's whole file, for lhotse's Recording: decoded once for all its segments (they come together). */
function fileLengths() {
  let last: { path: string; samples: number } | undefined;
  return async (path: string): Promise<number> => {
    if (last?.path !== path) last = { path, samples: (await decodeFile(path)).audio.samples.length };
    return last.samples;
  };
}

/** The kept clip as every emitted manifest gives it. */
async function emitClip(
  k: KeptClip,
  path: string,
  cut: TrimOutcome | undefined,
  lengthOf: (p: string) => Promise<number>,
): Promise<EmitClip> {
  const { utterance: u, clip } = k;
  const a = u.audio;
  const sampleRate = cut?.written ? cut.sampleRate : (clip.format?.sampleRate ?? 0);
  const common = {
    id: u.id,
    text: u.text,
    ...(u.normalizedText !== undefined ? { normalizedText: u.normalizedText } : {}),
    ...(u.speaker !== undefined ? { speaker: u.speaker } : {}),
    ...(u.gender !== undefined ? { gender: u.gender } : {}),
    ...(u.language !== undefined ? { language: u.language } : {}),
    audio: path,
    sampleRate,
    channels: clip.format?.channels ?? 1,
  };
  if (cut?.written) {
    const durationSec = cut.samples / sampleRate;
    return { ...common, fileSamples: cut.samples, offsetSec: 0, durationSec, wholeFile: true, recordingId: u.id };
  }
  const clipSec = clip.metrics['signal.duration_sec'] ?? 0;
  const segment = a.kind === 'file' && (a.offsetSec !== undefined || a.durationSec !== undefined);
  const base = a.kind === 'file' ? (a.offsetSec ?? 0) : 0;
  const fileSamples = segment ? await lengthOf(a.path) : Math.round(clipSec * sampleRate);
  const span = k.trim?.cuts
    ? { offsetSec: base + k.trim.startSec, durationSec: k.trim.endSec - k.trim.startSec }
    : { offsetSec: base, durationSec: clipSec };
  return { ...common, ...span, fileSamples, wholeFile: !segment && !k.trim?.cuts, recordingId: segment ? path : u.id };
}

export async function writeCurated(args: CuratedArgs): Promise<string[]> {
  // Written under a working name and renamed into place, so `curated/` is always one whole run's.
  const final = join(args.outDir, 'curated');
  const dir = tempNameFor(final);
  await mkdir(args.outDir, { recursive: true });
  await mkdir(dir); // a new folder: nothing planted in it to follow
  try {
    const files = await writeInto(dir, args);
    await rm(final, { recursive: true, force: true });
    await rename(dir, final);
    return files.map((f) => join('curated', f));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function writeInto(dir: string, args: CuratedArgs): Promise<string[]> {
  const { config } = args;
  const result = await args.source.writeCurated({
    root: args.root,
    outDir: dir,
    isKept: args.isKept,
    options: args.options,
  });
  const layout = layoutOf(args.source.name);
  const placer = await openPlacer(dir, config.audio);
  const session: LayoutSession | undefined = await layout.open?.({ root: args.root, options: args.options, placer });
  const emits = config.emit.map((format) => emitters[format](dir));
  const lengthOf = fileLengths();
  const trims = newFile(dir, 'trims.jsonl');
  for await (const k of keptClips(args)) {
    const { path, cut } = await placeAudio(k, layout, placer, config.applyTrims);
    for (const rel of layout.companions?.(k) ?? []) await placer.text(rel, join(args.root, rel));
    await session?.clip(k, path);
    if (k.trim) {
      const t = k.trim;
      const applied =
        config.applyTrims && t.cuts
          ? { applied: cut?.written ?? false, ...(cut && !cut.written ? { why: cut.why } : {}) }
          : {};
      const line = {
        id: k.clip.id,
        origin: t.origin,
        startSec: t.startSec,
        endSec: t.endSec,
        ...(t.highPassHz !== undefined ? { highPassHz: t.highPassHz } : {}),
        ...(t.notchHz !== undefined ? { notchHz: t.notchHz } : {}),
      };
      await trims.write(JSON.stringify({ ...line, reasons: reasonsOf(t.findings), ...applied }) + '\n');
    }
    if (path === undefined || emits.length === 0) continue;
    const c = await emitClip(k, path, cut, lengthOf);
    for (const e of emits) await e.clip(c);
  }
  await trims.close();
  const dropped = newFile(dir, 'dropped.jsonl');
  for (const [id, d] of args.dropped.entries()) {
    const reasons = reasonsOf(d.findings.filter((f) => f.severity === 'error'));
    await dropped.write(JSON.stringify({ id, origin: d.origin, durationSec: d.durationSec, reasons }) + '\n');
    for (const e of emits) await e.dropped(id, d);
  }
  await dropped.close();
  const layoutFiles = (await session?.close()) ?? [];
  const emitted: string[] = [];
  for (const e of emits) emitted.push(...(await e.close()));
  return [...result.files, ...layoutFiles, 'dropped.jsonl', 'trims.jsonl', ...emitted];
}
