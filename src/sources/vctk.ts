// VCTK — 109 (0.80) or 110 (0.92) English speakers with various accents, ~400 read sentences each
// (newspaper text, the rainbow passage, an elicitation paragraph), recorded at CSTR, University of Edinburgh.
//   home:    https://datashare.ed.ac.uk/handle/10283/3443 (0.92); 0.80 is the 2012 `VCTK-Corpus.tar.gz`
//   licence: CC BY 4.0 (Veaux, Yamagishi, MacDonald)
//   layout:  speaker-info.txt                      ID AGE GENDER ACCENTS REGION [COMMENTS], whitespace-aligned
//            txt/<spk>/<spk>_<utt>.txt              one transcript per utterance (trailing spaces, no final newline)
//            0.92: wav48_silence_trimmed/<spk>/<spk>_<utt>_mic{1,2}.flac   16-bit 48 kHz, silence-trimmed
//            0.80: wav48/<spk>/<spk>_<utt>.wav                            16-bit 48 kHz, silence kept
//   known:   p315 has no transcripts; p280 (and p315) no mic2; 0.80 has 172 recordings without a transcript.

import { join } from 'node:path';
import type { Finding, Utterance } from '../types.js';
import { isDir, isFile, resolveInside } from '../util/paths.js';
import { filterLines, visitKept } from './curate-lines.js';
import {
  byName,
  listNames as names,
  readTranscript,
  readVctkSpeakers,
  vctkRowKey,
  type SpeakerInfo,
  type SpeakerTable,
} from './speakers.js';
import type { CurateArgs, CuratedOutput, Source, SourceItem, SourceOptions } from './types.js';
const SPEAKER_INFO = 'speaker-info.txt';
/** How many file names a per-speaker summary finding spells out before `…`. */
const NAMED = 5;

type Mic = 'mic1' | 'mic2';
interface Release {
  version: '0.92' | '0.80';
  audioDir: string;
  /** Audio file name → utterance base name and microphone (always `mic1` for 0.80, which has one). */
  parse(name: string): { base: string; mic: Mic } | undefined;
  file(base: string, mic: Mic): string;
}

const RELEASES: Release[] = [
  {
    version: '0.92',
    audioDir: 'wav48_silence_trimmed',
    parse: (name) => {
      const m = /^(.+)_(mic[12])\.flac$/.exec(name);
      return m ? { base: m[1], mic: m[2] as Mic } : undefined;
    },
    file: (base, mic) => `${base}_${mic}.flac`,
  },
  {
    version: '0.80',
    audioDir: 'wav48',
    parse: (name) => (name.endsWith('.wav') ? { base: name.slice(0, -4), mic: 'mic1' } : undefined),
    file: (base) => `${base}.wav`,
  },
];

async function findRelease(root: string): Promise<Release | undefined> {
  if (!(await isDir(join(root, 'txt')))) return undefined;
  for (const r of RELEASES) if (await isDir(join(root, r.audioDir))) return r;
  return undefined;
}

function wantedMics(release: Release, options: SourceOptions): Mic[] {
  if (release.version === '0.80') return ['mic1'];
  return options.mic === 'both' ? ['mic1', 'mic2'] : [options.mic ?? 'mic1'];
}

/** Age, region and the table's comment travel with each clip; absent fields are left out. */
function metaOf(info: SpeakerInfo): Record<string, string> {
  const meta: Record<string, string> = {};
  if (info.age) meta.age = info.age;
  if (info.region) meta.region = info.region;
  if (info.comment) meta.comment = info.comment;
  return meta;
}

function titleOf(release: Release | undefined): string {
  if (!release) return 'VCTK (0.92 or 0.80)';
  return release.version === '0.92' ? 'VCTK 0.92 (wav48_silence_trimmed, FLAC)' : 'VCTK 0.80 (wav48, WAV)';
}

/**
 * One finding per speaker folder rather than per file: the known holes (p315, p280) span whole speakers,
 * and 400 identical lines would bury every other source finding.
 */
function summary(
  code: string,
  dir: string,
  files: string[],
  words: { one: string; many: (listed: string) => string; then: string },
): Finding {
  if (files.length === 1) {
    const file = `${dir}/${files[0]}`;
    return {
      code,
      severity: 'warning',
      message: `${file}: ${words.one}; ${words.then}`,
      value: 1,
      unit: 'files',
      origin: { file },
    };
  }
  const listed = files.slice(0, NAMED).join(', ') + (files.length > NAMED ? ', …' : '');
  const message = `${dir}: ${files.length} ${words.many(`(${listed})`)}; ${words.then}`;
  return { code, severity: 'warning', message, value: files.length, unit: 'files', origin: { file: dir } };
}

async function* read(root: string, options: SourceOptions): AsyncIterable<SourceItem> {
  const release = await findRelease(root);
  if (!release) return;
  const mics = wantedMics(release, options);
  let table: SpeakerTable | undefined;
  if (await isFile(join(root, SPEAKER_INFO))) {
    table = await readVctkSpeakers(join(root, SPEAKER_INFO), SPEAKER_INFO, root);
    for (const finding of table.findings) yield { finding };
  } else {
    const message = `${SPEAKER_INFO}: not found; clips carry no gender or accent`;
    yield { finding: { code: 'source.unknown_speaker', severity: 'info', message, origin: { file: SPEAKER_INFO } } };
  }

  const speakers = [
    ...new Set([...(await names(join(root, 'txt'), 'dir')), ...(await names(join(root, release.audioDir), 'dir'))]),
  ].sort(byName);
  for (const speaker of speakers) {
    const info = table?.speakers.get(speaker);
    if (table && !info) {
      const message = `${SPEAKER_INFO}: speaker ${speaker} is not listed; its clips carry no gender or accent`;
      yield { finding: { code: 'source.unknown_speaker', severity: 'info', message, origin: { file: SPEAKER_INFO } } };
    }
    const txtDir = `txt/${speaker}`;
    const audioDir = `${release.audioDir}/${speaker}`;
    // One speaker's listing at a time: the corpus is never held whole.
    const texts = new Set(
      (await names(join(root, txtDir), 'file')).filter((n) => n.endsWith('.txt')).map((n) => n.slice(0, -4)),
    );
    const recorded = new Map<string, Set<Mic>>();
    for (const name of await names(join(root, audioDir), 'file')) {
      const p = release.parse(name);
      if (p) recorded.set(p.base, (recorded.get(p.base) ?? new Set()).add(p.mic));
    }
    const noText: string[] = [];
    const noMic = new Map<Mic, string[]>();
    for (const base of [...new Set([...texts, ...recorded.keys()])].sort(byName)) {
      const has = recorded.get(base) ?? new Set<Mic>();
      if (!texts.has(base)) {
        for (const mic of mics) if (has.has(mic)) noText.push(release.file(base, mic));
        continue;
      }
      // An utterance recorded on the other microphone only is a mic hole; one with no recording at all is
      // yielded so the decoder reports audio.missing on the clip, as for any listed clip without audio.
      const present = mics.filter((mic) => has.size === 0 || has.has(mic));
      for (const mic of mics) {
        if (present.includes(mic)) continue;
        if (!noMic.has(mic)) noMic.set(mic, []);
        noMic.get(mic)!.push(release.file(base, mic));
      }
      if (present.length === 0) continue;
      const file = `${txtDir}/${base}.txt`;
      const transcript = await readTranscript(root, file);
      if ('finding' in transcript) {
        yield transcript;
        continue;
      }
      for (const mic of present) {
        const inside = resolveInside(root, `${audioDir}/${release.file(base, mic)}`);
        if (!inside) continue;
        const utterance: Utterance = {
          id: mics.length > 1 ? `${base}_${mic}` : base,
          audio: { kind: 'file', path: inside.abs, relPath: inside.rel },
          text: transcript.text,
          speaker,
          gender: info?.gender,
          accent: info?.accent,
          language: 'en',
          ...(info ? { meta: metaOf(info) } : {}),
          origin: { file, line: 1 },
        };
        yield { utterance };
      }
    }
    if (noText.length > 0) {
      const words = {
        one: `no transcript in ${txtDir}/`,
        many: (listed: string) => `audio files ${listed} have no transcript in ${txtDir}/`,
        then: 'not audited',
      };
      yield { finding: summary('source.no_transcript', audioDir, noText, words) };
    }
    for (const [mic, missing] of noMic) {
      const other = mic === 'mic1' ? 'mic2' : 'mic1';
      const then = mics.length > 1 ? `only ${other} is read` : `not audited (--mic ${other} reads them)`;
      const words = {
        one: `not found, though the transcript and ${other} exist`,
        many: (listed: string) => `${mic} files ${listed} not found, though their transcripts and ${other} exist`,
        then,
      };
      yield { finding: summary('source.missing_mic', audioDir, missing, words) };
    }
  }
}

/** `speaker-info.txt` reduced to speakers that keep a clip (the kept clips' txt and wav are placed beside it). */
async function writeCurated({ root, outDir, isKept, options }: CurateArgs): Promise<CuratedOutput> {
  const speakers = new Set<string>();
  const { kept, dropped } = await visitKept(read(root, options), isKept, (u, keep) => {
    if (keep && u.speaker) speakers.add(u.speaker);
  });
  const files: string[] = [];
  if (await isFile(join(root, SPEAKER_INFO))) {
    await filterLines({
      from: join(root, SPEAKER_INFO),
      to: join(outDir, SPEAKER_INFO),
      idOf: vctkRowKey,
      isKept: (speaker) => speakers.has(speaker),
      keepNonRecords: true,
    });
    files.push(SPEAKER_INFO);
  }
  return { files, kept, dropped };
}

export const vctk: Source = {
  name: 'vctk',
  findings: {
    'source.missing_mic': {
      severity: 'warning',
      description: "one of an utterance's microphones has no recording (e.g. VCTK p280 mic2)",
    },
  },
  title: titleOf(undefined),
  inspect: async (root) => ({ title: titleOf(await findRelease(root)) }),
  language: 'en',
  nominalFormat: { sampleRate: 48000, channels: 1, bitDepth: 16 },
  expectsNormalizedText: false,
  expects: 'txt/ plus wav48_silence_trimmed/ (0.92) or wav48/ (0.80), speaker-info.txt optional',
  detect: async (root) => (await findRelease(root)) !== undefined,
  read,
  writeCurated,
};
