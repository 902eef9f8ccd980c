// LibriTTS — 585 h of English audiobook speech from 2,456 LibriVox speakers, re-segmented from LibriSpeech
// at sentence breaks for TTS, 24 kHz, with original and normalized text. LibriTTS-R is the same utterances with
// restored audio (Google's Miipher), plus per-split lists of failed restorations.
//   home:    https://www.openslr.org/60/ (LibriTTS), https://www.openslr.org/141/ (LibriTTS-R)
//   licence: CC BY 4.0 (Zen et al.; Koizumi et al. for -R)
//   layout:  SPEAKERS.txt (`;` comments, `ID | SEX | SUBSET | MINUTES | NAME`; LibriTTS-R may carry speakers.tsv)
//            <split>/<spk>/<chapter>/<spk>_<chapter>.trans.tsv   `id \t original \t normalized`, no header
//            <split>/<spk>/<chapter>/<id>.wav                    16-bit PCM mono 24 kHz
//            <split>/<spk>/<chapter>/<id>.normalized.txt | .original.txt
//            libritts_r_failed_speech_restoration_examples/<split>_bad_sample_list.txt   (LibriTTS-R)
//   known:   LibriTTS-R archives carry AppleDouble `._*` junk files; trans.tsv rows without a wav.

import { join } from 'node:path';
import type { Finding, Origin, Utterance } from '../types.js';
import { readLines, tooLongReason, UnreadableManifestError } from '../util/lines.js';
import { resolveInside } from '../util/paths.js';
import { filterLines, visitKept } from './curate-lines.js';
import {
  describe,
  detect,
  findLayout,
  ID_PATTERN,
  isId,
  readBadLists,
  speakerTable,
  type Split,
} from './libritts-layout.js';
import { byName, listNames, malformed, readTranscript, unreadable, type SpeakerTable } from './speakers.js';
import type { CurateArgs, CuratedOutput, Source, SourceItem, SourceOptions } from './types.js';

interface Context {
  root: string;
  maxLineBytes?: number;
  table?: SpeakerTable;
  bad: Map<string, Origin>;
}

function* utterance(
  ctx: Context,
  split: Split,
  speaker: string,
  dir: string,
  id: string,
  text: string,
  normalized: string | undefined,
  origin: Origin,
): Iterable<SourceItem> {
  const inside = resolveInside(ctx.root, `${dir}/${id}.wav`);
  if (!inside) return;
  const u: Utterance = {
    id,
    audio: { kind: 'file', path: inside.abs, relPath: inside.rel },
    text,
    normalizedText: normalized === undefined || normalized === '' ? undefined : normalized,
    speaker,
    gender: ctx.table?.speakers.get(speaker)?.gender,
    language: 'en',
    split: split.name,
    origin,
  };
  const listed = ctx.bad.get(id);
  if (listed)
    u.notes = [
      {
        code: 'source.listed_bad',
        message: `${listed.file}:${listed.line}: the corpus' own list of failed restorations names this clip (${inside.rel})`,
      },
    ];
  yield { utterance: u };
}

/** A chapter's trans.tsv rows in file order, then clips it does not cover, from their .txt files. */
async function* chapter(ctx: Context, split: Split, speaker: string, chapterId: string): AsyncIterable<SourceItem> {
  const dir = `${split.prefix}${speaker}/${chapterId}`;
  const files = await listNames(join(ctx.root, dir), 'file');
  const present = new Set(files);
  const covered = new Set<string>();
  for (const tsv of files.filter((n) => n.endsWith('.trans.tsv'))) {
    const file = `${dir}/${tsv}`;
    try {
      for await (const { line, text, tooLong } of readLines(join(ctx.root, file), {
        within: ctx.root,
        maxLineBytes: ctx.maxLineBytes,
      })) {
        if (!tooLong && text.trim() === '') continue;
        const fields = text.split('\t');
        const id = fields[0]?.trim() ?? '';
        const reason = tooLong
          ? tooLongReason(ctx.maxLineBytes)
          : fields.length !== 3
            ? `expected 3 tab-separated fields (id, original, normalized), found ${fields.length}`
            : !ID_PATTERN.test(id)
              ? `clip id ${JSON.stringify(id.slice(0, 40))} is not a file name (letters, digits, . _ -)`
              : undefined;
        if (reason) {
          yield { finding: malformed(file, line, reason) };
          continue;
        }
        covered.add(id);
        yield* utterance(ctx, split, speaker, dir, id, fields[1].trim(), fields[2].trim(), { file, line });
      }
    } catch (err) {
      if (!(err instanceof UnreadableManifestError)) throw err;
      yield { finding: unreadable(file, err) };
    }
  }
  const stem = (n: string, ext: string) => (n.endsWith(ext) ? [n.slice(0, -ext.length)] : []);
  const wavs = new Set(files.flatMap((n) => stem(n, '.wav')));
  const texts = new Set(files.flatMap((n) => [...stem(n, '.normalized.txt'), ...stem(n, '.original.txt')]));
  for (const id of [...new Set([...wavs, ...texts])].sort(byName)) {
    if (covered.has(id)) continue;
    if (!texts.has(id)) {
      const file = `${dir}/${id}.wav`;
      const message = `${file}: no transcript (no ${files.some((n) => n.endsWith('.trans.tsv')) ? 'trans.tsv row, no ' : ''}${id}.normalized.txt or .original.txt); not audited`;
      yield { finding: { code: 'source.no_transcript', severity: 'warning', message, origin: { file } } };
      continue;
    }
    const load = async (kind: string) => {
      const file = `${dir}/${id}.${kind}.txt`;
      return present.has(`${id}.${kind}.txt`) ? { file, got: await readTranscript(ctx.root, file) } : undefined;
    };
    const original = await load('original');
    const normalized = await load('normalized');
    let bad = false;
    for (const r of [original, normalized]) {
      if (r && 'finding' in r.got) {
        bad = true;
        yield { finding: r.got.finding };
      }
    }
    if (bad) continue;
    const text = (r: typeof original) => (r && 'text' in r.got ? r.got.text : undefined);
    // With only the normalized file (as in the real samples) it is both the text and the normalized text.
    const origin = { file: (original ?? normalized)!.file, line: 1 };
    yield* utterance(ctx, split, speaker, dir, id, text(original) ?? text(normalized)!, text(normalized), origin);
  }
}

async function* read(root: string, options: SourceOptions = {}): AsyncIterable<SourceItem> {
  const layout = await findLayout(root);
  const table = await speakerTable(root, layout);
  if (table) for (const finding of table.findings) yield { finding };
  else {
    const message = `SPEAKERS.txt: not found (nor speakers.tsv) in the root${layout.splits[0]?.prefix === '' ? ' or its parent' : ''}; clips carry no gender`;
    yield { finding: { code: 'source.unknown_speaker', severity: 'info', message, origin: { file: 'SPEAKERS.txt' } } };
  }
  const findings: Finding[] = [];
  const bad = await readBadLists(root, layout, findings);
  for (const finding of findings) yield { finding };
  const ctx: Context = { root, table, bad, maxLineBytes: options.maxLineBytes };
  const reported = new Set<string>();
  for (const split of layout.splits) {
    for (const speaker of (await listNames(join(root, split.prefix), 'dir')).filter(isId)) {
      if (table && !table.speakers.has(speaker) && !reported.has(speaker)) {
        reported.add(speaker);
        const message = `${table.file}: speaker ${speaker} (${split.prefix}${speaker}/) is not listed; its clips carry no gender`;
        yield { finding: { code: 'source.unknown_speaker', severity: 'info', message, origin: { file: table.file } } };
      }
      for (const chapterId of (await listNames(join(root, split.prefix, speaker), 'dir')).filter(isId)) {
        yield* chapter(ctx, split, speaker, chapterId);
      }
    }
  }
}

/** Each trans.tsv filtered to kept rows at its own relative path (the kept clips' files are placed beside it). */
async function writeCurated({ root, outDir, isKept }: CurateArgs): Promise<CuratedOutput> {
  const tsvs = new Set<string>();
  const { kept, dropped } = await visitKept(read(root), isKept, (u) => {
    if (u.origin.file.endsWith('.trans.tsv')) tsvs.add(u.origin.file);
  });
  // Only trans.tsv files that yielded a clip: one per chapter, so this set is as small as the chapter count.
  for (const file of tsvs) {
    await filterLines({
      from: join(root, file),
      to: join(outDir, file),
      idOf: (text) => {
        const fields = text.split('\t');
        return fields.length === 3 && ID_PATTERN.test(fields[0].trim()) ? fields[0].trim() : undefined;
      },
      isKept,
    });
  }
  return { files: [...tsvs], kept, dropped };
}

export const libritts: Source = {
  name: 'libritts',
  findings: {
    'source.listed_bad': {
      severity: 'warning',
      description: "the corpus' own list of failed restorations (LibriTTS-R `*_bad_sample_list.txt`) names this clip",
    },
  },
  title: 'LibriTTS / LibriTTS-R',
  inspect: async (root) => ({ title: await describe(root, await findLayout(root)) }),
  language: 'en',
  nominalFormat: { sampleRate: 24000, channels: 1, bitDepth: 16 },
  expectsNormalizedText: true,
  expects:
    '<split>/<speaker>/<chapter>/ folders with <id>.wav and <speaker>_<chapter>.trans.tsv or <id>.normalized.txt (root = the corpus or one split)',
  detect,
  read,
  writeCurated,
};
