// The bundled demo dataset (data-samples/ljspeech), described as data so that
// scripts/make-samples.ts (which builds it) and the tests (which audit it and
// expect each defect to be found) cannot drift apart.

export interface SampleVariant {
  /** Utterance id in metadata.csv; also the wav's base name (`wavs/<id>.wav`). */
  id: string;
  /** The real LJSpeech clip the audio is derived from. */
  from: string;
  /** Short defect tag; the suffix of `id`. */
  defect: string;
  /** Finding codes an audit must raise for this utterance (at least these). */
  expectedCodes: string[];
  description: string;
}

/** Real LJSpeech 1.1 clips, copied byte-for-byte with their metadata rows. */
export const CLEAN_IDS: string[] = [
  'LJ001-0001',
  'LJ001-0002',
  'LJ001-0003',
  'LJ001-0004',
  'LJ001-0005',
  'LJ001-0006',
  'LJ001-0007',
];

// Several variants reuse a source's audio or transcript on purpose, so an
// audit with duplicate detection may also (rightly) flag them as duplicates
// of their source; expectedCodes lists only the defect each one was made for.
export const VARIANTS: SampleVariant[] = [
  {
    id: 'LJ001-0004_noise5db',
    from: 'LJ001-0004',
    defect: 'noise5db',
    expectedCodes: ['noise.low_snr'],
    description:
      'LJ001-0004 plus white Gaussian noise whose power is the clip mean power / 10^(5/10), i.e. 5 dB SNR over the whole clip.',
  },
  {
    id: 'LJ001-0006_clipped',
    from: 'LJ001-0006',
    defect: 'clipped',
    expectedCodes: ['signal.clipping'],
    description: 'LJ001-0006 amplified by +12 dB and hard-clipped to int16 full scale (32767 / -32768).',
  },
  {
    id: 'LJ001-0002_padded',
    from: 'LJ001-0002',
    defect: 'padded',
    expectedCodes: ['silence.leading', 'silence.trailing'],
    description:
      'LJ001-0002 with 2.5 s of near-silence before and after: white noise at -70 dBFS RMS (a quiet room, not digital zero).',
  },
  {
    id: 'LJ001-0005_truncated',
    from: 'LJ001-0005',
    defect: 'truncated',
    expectedCodes: ['audio.truncated'],
    description:
      'Byte copy of LJ001-0005.wav cut to 60 % of its bytes (even count); the header still declares the full data size.',
  },
  {
    id: 'LJ001-0002_swapped',
    from: 'LJ001-0002',
    defect: 'swapped',
    expectedCodes: ['rate.too_fast'],
    description:
      'Audio of LJ001-0002 (1.9 s, "in being comparatively modern.") paired with the long transcript of LJ001-0003.',
  },
  {
    id: 'LJ001-0007_unnormalized',
    from: 'LJ001-0007',
    defect: 'unnormalized',
    expectedCodes: ['text.unnormalized'],
    description:
      'Audio of LJ001-0007 with the raw text (digits "1455") in the normalized column instead of "fourteen fifty-five".',
  },
];

/** The swapped variant takes its transcript from this clip instead of `from`. */
export const SWAPPED_TEXT_FROM = 'LJ001-0003';

/** Manifest-level defect: a metadata row whose wav does not exist. */
export const MISSING: SampleVariant = {
  id: 'LJ001-0009_missing',
  from: 'LJ001-0009',
  defect: 'missing',
  expectedCodes: ['audio.missing'],
  description: 'Metadata row (text of the real LJ001-0009 row) whose wavs/LJ001-0009_missing.wav is not shipped.',
};

/** Text of the real LJSpeech 1.1 row LJ001-0009 (raw = normalized), used by the missing row. */
export const MISSING_TEXT =
  'Printing, then, for our purpose, may be considered as the art of making books by means of movable types.';

/** Manifest-level defect: a line with no `|` separator at all. */
export const MALFORMED_TEXT = 'LJ001-0010 this line lost its separators';
export const MALFORMED_EXPECTED_CODES: string[] = ['source.malformed_line'];

/** 1-based line of MALFORMED_TEXT in metadata.csv: real rows, variant rows, the missing row, then it. */
export const MALFORMED_LINE: number = CLEAN_IDS.length + VARIANTS.length + 2;
