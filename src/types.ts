// Types shared by every stage: source → loader → decoded audio → features → analyzers → outputs.

export type Severity = 'error' | 'warning' | 'info';

/** Where a record or a problem came from, so a finding can point at the exact line or row. */
export interface Origin {
  /** Path relative to the dataset root (or a URL-like id for remote sources). */
  file: string;
  /** 1-based line number in a text manifest. */
  line?: number;
  /** 0-based row index in a table (parquet). */
  row?: number;
}

/** Audio of one utterance: a file inside the dataset root, or bytes carried by the source. */
export type AudioRef =
  | {
      kind: 'file';
      /** Absolute path, already resolved inside the dataset root. */
      path: string;
      /** The same path relative to the dataset root, for messages and manifests. */
      relPath: string;
      offsetSec?: number;
      durationSec?: number;
    }
  | {
      kind: 'bytes';
      bytes: Uint8Array;
      /** A file name whose extension hints the codec (e.g. `LJ001-0001.wav`). */
      name: string;
    }
  | {
      /** Already-decoded samples, as Hub datasets store `{array, sampling_rate}`. */
      kind: 'pcm';
      samples: Float32Array;
      sampleRate: number;
      /** A display name for messages. */
      name: string;
    };

/** What is known of a clip before its audio is read; an utterance and its result share these fields. */
export interface ClipFields {
  id: string;
  text: string;
  normalizedText?: string;
  speaker?: string;
  gender?: string;
  accent?: string;
  language?: string;
  split?: string;
  /** Other facts the corpus records (VCTK age and region, LibriTTS chapter, …), reported as they are. */
  meta?: Record<string, string>;
  origin: Origin;
}

/** One text–audio pair, as every loader yields it. */
export interface Utterance extends ClipFields {
  audio: AudioRef;
  /** What the loader knows against this clip (e.g. LibriTTS-R's own bad-sample list); treated like analyzer findings. */
  notes?: { code: string; message: string }[];
}

/** The format a corpus is published in; clips that differ get a finding naming both values. */
export interface NominalFormat {
  sampleRate: number;
  channels: number;
  bitDepth: number;
}

/** Facts about the encoded audio, before downmix. */
export interface AudioFormat {
  codec: string;
  sampleRate: number;
  channels: number;
  /** Bits per sample as stored (16 for PCM16, 32 for float32, …); 0 when the codec has none (Opus). */
  bitDepth: number;
}

export interface DecodedAudio extends AudioFormat {
  /** Mono (channels averaged), full scale ±1. */
  samples: Float32Array;
  durationSec: number;
}

/** A finding's catalog entry: its default severity and what it means (README and schema docs come from here). */
export interface FindingSpec {
  severity: Severity;
  description: string;
  /** A warning that a trim or a filter repairs: the clip is kept, its trim (`silence.trim_*_sec`) or filter (`noise.high_pass_hz`, `noise.hum_hz`) written to `curated/trims.jsonl`. */
  remedy?: 'trim' | 'filter';
}

export interface Finding {
  /** Stable dotted code, e.g. `silence.leading`; severities are configured by code. */
  code: string;
  severity: Severity;
  message: string;
  value?: number;
  threshold?: number;
  unit?: string;
  /** The clip metric `value` comes from (`silence.leading_sec`). */
  metric?: string;
  /** Where `value` sits in the dataset's distribution of the same metric (0–100). */
  percentile?: number;
  clipId?: string;
  origin?: Origin;
}

/** What the audit knows about one clip once every clip analyzer has run. */
export interface ClipResult extends ClipFields {
  audioPath: string;
  format?: AudioFormat;
  metrics: Record<string, number>;
  /** Text an analyzer derived from the clip (e.g. `phonemes.ipa`), for dataset analyzers and clips.jsonl. */
  annotations?: Record<string, string>;
  findings: Finding[];
}

/** Per-clip records of a whole corpus, kept on disk: read once, in clip order, when the outputs are written. */
export interface ClipRecords<T> {
  readonly size: number;
  has(id: string): boolean;
  entries(): Iterable<[id: string, record: T]>;
}
