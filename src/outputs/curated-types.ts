import type { SourceOptions } from '../sources/types.js';
import type { ClipResult, Finding, Origin, Utterance } from '../types.js';
import type { Placer } from './curated-place.js';

// The records curated/ is made from and the small interfaces its layout writers and manifest emitters implement:
// kept apart from the modules that implement them so that none of those imports another's orchestrator.

export interface DroppedClip {
  origin: Origin;
  durationSec: number;
  findings: Finding[];
}

export interface TrimmedClip {
  origin: Origin;
  /** False for a clip to filter only: [startSec, endSec] is then its whole length and nothing is cut. */
  cuts: boolean;
  startSec: number;
  endSec: number;
  /** A high-pass (Hz) that removes the clip's rumble, when it has some. */
  highPassHz?: number;
  /** Mains frequency (Hz) to notch with its harmonics, when the clip hums. */
  notchHz?: number;
  findings: Finding[];
}

/** A kept clip as the curated writers need it: where its audio is (the source) and what the audit measured. */
export interface KeptClip {
  utterance: Utterance;
  clip: ClipResult;
  /** The suggested trim, seconds from the clip's start, with its reasons. */
  trim?: TrimmedClip;
}

export interface LayoutContext {
  root: string;
  options: SourceOptions;
  placer: Placer;
}

/** What a layout adds to the manifests its source writes: one session over the kept clips, in source order. */
export interface LayoutSession {
  clip(k: KeptClip, audio: string | undefined): Promise<void>;
  /** Files written, relative to curated/. */
  close(): Promise<string[]>;
}

/**
 * How one source layout becomes a dataset folder in curated/. The source's own `writeCurated` filters its manifests
 * (metadata.csv, trans.tsv, transcripts.txt, speaker tables); this places the kept clips' audio and the per-clip
 * files beside it, so the folder is the corpus' layout holding only the kept clips.
 */
export interface CuratedLayout {
  /** Where the clip's audio goes, relative to curated/; undefined leaves it where the manifest names it (absolute). */
  audioPath(k: KeptClip): string | undefined;
  /** Files of the layout a kept clip brings along, relative to the dataset root (VCTK's transcript). */
  companions?(k: KeptClip): string[];
  open?(ctx: LayoutContext): Promise<LayoutSession>;
  /**
   * False where the audio is not a file of the dataset (Hub rows): the trim is then given as offset and duration in
   * the emitted manifests instead. (A manifest line that gives an offset or duration is never cut either.)
   */
  trimsAudio: boolean;
}

/** One kept clip as every emitted manifest describes it. */
export interface EmitClip {
  id: string;
  text: string;
  normalizedText?: string;
  speaker?: string;
  gender?: string;
  language?: string;
  /** The audio file, relative to curated/ (where the manifests are), or absolute when it stays outside the dataset. */
  audio: string;
  sampleRate: number;
  channels: number;
  /** Length of the whole file at `audio`, in samples at `sampleRate`. */
  fileSamples: number;
  /** The span to train on within the file, seconds: a segment's own, moved in by a trim that no copy applied. */
  offsetSec: number;
  durationSec: number;
  /** The span is all of the file (no offset to give). */
  wholeFile: boolean;
  /** The file's recording: the clip's own id, or the audio path when segments of one file share it. */
  recordingId: string;
}

export interface Emitter {
  clip(c: EmitClip): Promise<void>;
  dropped(id: string, d: DroppedClip): Promise<void>;
  /** Files written, relative to curated/. */
  close(): Promise<string[]>;
}
