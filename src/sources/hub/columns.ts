import { parquetSchema, type FileMetaData, type SchemaTree } from 'hyparquet';
import type { ColumnField, NominalFormat, SourceOptions } from '../types.js';
import { MLS_LANGUAGES } from '../mls-languages.js';

// Column mapping for Hub-style parquet: the corpus is recognised by the set of columns found (so a renamed or
// re-uploaded copy still maps), `options.columns` overrides any field, and unknown sets fall back to common names.

export type ColumnKind = 'audio-bytes' | 'audio-array' | 'string' | 'number' | 'binary' | 'other';

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  /** For messages: `struct<bytes, path>`, `string`, `int64`. */
  type: string;
}

function kindOf(node: SchemaTree): ColumnInfo {
  const e = node.element;
  const name = e.name;
  if (node.children.length > 0) {
    const children = node.children.map((c) => c.element.name);
    const type =
      e.converted_type === 'LIST' || e.logical_type?.type === 'LIST' ? 'list' : `struct<${children.join(', ')}>`;
    if (children.includes('bytes')) return { name, kind: 'audio-bytes', type };
    if (children.includes('array')) return { name, kind: 'audio-array', type };
    return { name, kind: 'other', type };
  }
  if (e.type === 'BYTE_ARRAY' && (e.converted_type === 'UTF8' || e.logical_type?.type === 'STRING'))
    return { name, kind: 'string', type: 'string' };
  if (e.type === 'BYTE_ARRAY') return { name, kind: 'binary', type: 'binary' };
  if (e.type && ['INT32', 'INT64', 'FLOAT', 'DOUBLE'].includes(e.type))
    return { name, kind: 'number', type: e.type.toLowerCase() };
  return { name, kind: 'other', type: (e.type ?? 'group').toLowerCase() };
}

export const columnsOf = (metadata: FileMetaData): ColumnInfo[] => parquetSchema(metadata).children.map(kindOf);

/** The `datasets` library's features (`huggingface` key of the parquet metadata): `{audio: {_type: 'Audio', sampling_rate}}`. */
export function hfFeatures(metadata: FileMetaData): Record<string, { _type?: string; sampling_rate?: number }> {
  const raw = metadata.key_value_metadata?.find((kv) => kv.key === 'huggingface')?.value;
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as { info?: { features?: unknown } };
    const features = parsed.info?.features;
    return features && typeof features === 'object'
      ? (features as Record<string, { _type?: string; sampling_rate?: number }>)
      : {};
  } catch {
    return {};
  }
}

interface Profile {
  corpus: string;
  title: string;
  /** Every one of these columns must be present. */
  needs: string[];
  fields: Partial<Record<ColumnField, string>>;
  /** A column whose file name (without folder and extension) is the clip id, when the set has no id column. */
  idFromFile?: string;
  speaker?: string;
  gender?: string;
  language: (subset: string | undefined) => string | undefined;
  sampleRate: number;
  expectsNormalizedText: boolean;
}

const en = () => 'en';
/**
 * The column sets of the corpora's Hub copies (keithito/lj_speech, CSTR-Edinburgh/vctk, mythicinfinity/libritts
 * and libritts_r, parler-tts/mls_eng, facebook/multilingual_librispeech); the most specific set first.
 */
const PROFILES: Profile[] = [
  {
    corpus: 'ljspeech',
    title: 'LJSpeech 1.1',
    needs: ['id', 'audio', 'file', 'text', 'normalized_text'],
    fields: { id: 'id', audio: 'audio', text: 'text', normalizedText: 'normalized_text' },
    speaker: 'LJ',
    gender: 'F',
    language: en,
    sampleRate: 22050,
    expectsNormalizedText: true,
  },
  {
    corpus: 'vctk',
    title: 'VCTK',
    needs: ['speaker_id', 'audio', 'file', 'text', 'text_id', 'gender', 'accent'],
    fields: { audio: 'audio', text: 'text', speaker: 'speaker_id', gender: 'gender', accent: 'accent' },
    idFromFile: 'file',
    language: en,
    sampleRate: 48000,
    expectsNormalizedText: false,
  },
  {
    corpus: 'libritts',
    title: 'LibriTTS / LibriTTS-R',
    needs: ['id', 'audio', 'text_normalized', 'text_original', 'speaker_id'],
    fields: {
      id: 'id',
      audio: 'audio',
      text: 'text_original',
      normalizedText: 'text_normalized',
      speaker: 'speaker_id',
    },
    language: en,
    sampleRate: 24000,
    expectsNormalizedText: true,
  },
  {
    corpus: 'mls',
    title: 'Multilingual LibriSpeech (English, parler-tts)',
    needs: ['audio', 'transcript', 'speaker_id', 'book_id'],
    fields: { audio: 'audio', text: 'transcript', speaker: 'speaker_id' },
    language: en,
    sampleRate: 16000,
    expectsNormalizedText: true,
  },
  {
    corpus: 'mls',
    title: 'Multilingual LibriSpeech',
    needs: ['audio', 'transcript', 'speaker_id'],
    fields: { id: 'id', audio: 'audio', text: 'transcript', speaker: 'speaker_id' },
    language: (subset) => MLS_LANGUAGES[subset?.toLowerCase() ?? ''],
    sampleRate: 16000,
    expectsNormalizedText: true,
  },
];

/** Lower-case column names each field is guessed from when no profile fits, in order of preference. */
const GUESSES: Partial<Record<ColumnField, string[]>> = {
  id: ['id', 'utt_id', 'utterance_id', 'segment_id', 'key'],
  text: ['text', 'transcript', 'transcription', 'sentence', 'normalized_text', 'text_normalized'],
  normalizedText: ['normalized_text', 'text_normalized', 'normalized_transcript', 'normalized_transcription'],
  speaker: ['speaker_id', 'speaker', 'client_id'],
  gender: ['gender'],
  accent: ['accent', 'accents'],
  language: ['language', 'lang', 'locale'],
};

export interface Mapping {
  fields: Partial<Record<ColumnField, string>>;
  audioKind: 'bytes' | 'array';
  idFromFile?: string;
  speaker?: string;
  gender?: string;
  language?: string;
  /** The audio feature's rate from the `huggingface` metadata: used when an `{array}` row has none. */
  featureRate?: number;
  corpus?: { name: string; title: string; nominalFormat: NominalFormat; expectsNormalizedText: boolean };
}

const SCALAR = new Set<ColumnKind>(['string', 'number', 'binary']);
const listColumns = (columns: ColumnInfo[]) => columns.map((c) => `${c.name} (${c.type})`).join(', ');
const HOW =
  'Map them with --columns audio=<column>,text=<column> (sourceOptions.columns in the API); the audio column must be a struct {bytes, path} or {array, sampling_rate}';

/** Field → column for one file's schema, or the message naming the columns found and how to map them. */
export function mapColumns(args: {
  columns: ColumnInfo[];
  metadata: FileMetaData;
  options: SourceOptions;
}): Mapping | { error: string } {
  const { columns, options } = args;
  const names = new Set(columns.map((c) => c.name));
  const features = hfFeatures(args.metadata);
  const profile = PROFILES.find((p) => p.needs.every((n) => names.has(n)));
  const fields: Partial<Record<ColumnField, string>> = {};
  if (profile) {
    for (const [f, c] of Object.entries(profile.fields)) if (names.has(c)) fields[f as ColumnField] = c;
  } else {
    const lower = new Map(columns.map((c) => [c.name.toLowerCase(), c.name]));
    for (const [f, guesses] of Object.entries(GUESSES)) {
      const hit = guesses
        .map((g) => lower.get(g))
        .find((c) => c !== undefined && SCALAR.has(columns.find((x) => x.name === c)!.kind));
      if (hit) fields[f as ColumnField] = hit;
    }
    if (fields.normalizedText === fields.text) delete fields.normalizedText;
    const audio =
      columns.find((c) => features[c.name]?._type === 'Audio') ??
      columns.find((c) => c.kind === 'audio-bytes' || c.kind === 'audio-array');
    if (audio) fields.audio = audio.name;
  }
  const problems: string[] = [];
  for (const [f, c] of Object.entries(options.columns ?? {})) {
    if (c === undefined) continue;
    if (names.has(c)) fields[f as ColumnField] = c;
    else problems.push(`--columns names ${JSON.stringify(c)} for ${f}, but there is no such column`);
  }
  const audio = columns.find((c) => c.name === fields.audio);
  if (!audio) problems.push('no audio column (a struct {bytes, path} or {array, sampling_rate})');
  else if (audio.kind !== 'audio-bytes' && audio.kind !== 'audio-array')
    problems.push(
      `audio column ${JSON.stringify(audio.name)} is ${audio.type}, not a struct {bytes, path} or {array, sampling_rate}`,
    );
  if (!fields.text) problems.push(`no text column (looked for ${GUESSES.text!.join(', ')})`);
  if (problems.length > 0 || !audio)
    return { error: `${problems.join('; ')}. Columns found: ${listColumns(columns)}. ${HOW}` };
  const featureRate = features[audio.name]?.sampling_rate;
  const audioKind = audio.kind === 'audio-array' ? 'array' : 'bytes';
  const mapping: Mapping = {
    fields,
    audioKind,
    ...(typeof featureRate === 'number' && featureRate > 0 ? { featureRate } : {}),
  };
  if (!profile) return mapping;
  // The features' rate describes this copy (a resampled re-upload says so there); decoded arrays arrive as float
  // samples, so the corpus' 16-bit depth would flag every clip.
  const nominalFormat = {
    sampleRate: mapping.featureRate ?? profile.sampleRate,
    channels: 1,
    bitDepth: audioKind === 'array' ? 32 : 16,
  };
  return {
    ...mapping,
    ...(profile.idFromFile && !fields.id ? { idFromFile: profile.idFromFile } : {}),
    speaker: profile.speaker,
    gender: profile.gender,
    language: profile.language(options.subset),
    corpus: {
      name: profile.corpus,
      title: profile.title,
      nominalFormat,
      expectsNormalizedText: profile.expectsNormalizedText,
    },
  };
}
