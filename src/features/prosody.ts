import { quantile } from '../util/stats.js';
import type { PitchTrack } from './pitch.js';

// Prosody of one clip from what the feature stage already holds (the pitch track, the 10 ms frame levels and the
// speech frames): no new pass over the samples. F0 is handled in semitones, because intonation is heard on a log
// scale: a 2-semitone rise means the same for a bass and a soprano, 20 Hz does not.
//
// Pace without a transcript alignment: syllable nuclei counted as voiced peaks of the frame level that stand a
// few dB above the dips either side (de Jong & Wempe, "Praat script to detect syllable nuclei and measure speech
// rate automatically", Behavior Research Methods 2009, without their intensity-median gate), per pause-separated
// segment; the spread of those rates says whether a reader keeps one pace or varies it.

export interface ProsodyOptions {
  /** Length (s) of the clip's end over which the final contour is fitted, ending at its last voiced frame. */
  finalSec: number;
  /** Voiced time (s) the end window must hold for a contour to be fitted. */
  minFinalVoicedSec: number;
  /** Voiced frames further than this from the clip's median F0 (semitones) are octave errors, left out. */
  maxFromMedianSt: number;
  /** A final movement smaller than this (semitones) is flat; half of it makes a movement of its own. */
  minChangeSt: number;
  /** Voiced time (s) after the window's last turning point for the movement to be fitted from there. */
  minMoveSec: number;
  /** A silence at least this long (s) separates two segments for the pace figures. */
  minPauseSec: number;
  /** Segments shorter than this (s) have no rate of their own. */
  minSegmentSec: number;
  /** A syllable nucleus rises at least this far (dB) above the dip before it and falls as far after. */
  nucleusDipDb: number;
}

export interface ClipProsody {
  /** Voiced pitch frames inside speech. */
  voicedFrames: number;
  voicedSec: number;
  /** Median F0 of those frames (Hz). */
  medianHz: number;
  /** 95th minus 5th percentile of F0 over voiced speech (semitones). */
  f0RangeSt: number;
  /** 1.4826 × median absolute deviation of F0 (semitones): a standard deviation that octave errors do not inflate. */
  f0SpreadSt: number;
  /** Standard deviation of F0 (semitones). */
  f0StdSt: number;
  /** Slope (semitones per second) of the final F0 movement (see `finalMovement`). */
  finalSlopeStPerSec?: number;
  /** Pitch change (semitones) of that movement: the fitted slope times the movement's length. */
  finalChangeSt?: number;
  /** 90th minus 10th percentile of the voiced frames' level (dB). */
  energySpreadDb?: number;
  /** Syllable nuclei per second of speech, over the segments long enough to count. */
  syllableRate?: number;
  /** Coefficient of variation (standard deviation / mean, 0–1) of the segments' syllable rates, time-weighted. */
  paceSpread?: number;
  /** Segments whose rates went into `paceSpread`. */
  paceSegments: number;
}

export interface ProsodyInput {
  pitch: PitchTrack;
  /** Frame levels (dBFS), one per 10 ms energy frame. */
  rmsDb: Float32Array;
  hopSec: number;
  /** 1 for a speech frame, per energy frame. */
  isSpeech: Uint8Array;
}

export const semitonesOf = (hz: number) => 12 * Math.log2(hz / 100);

// The per-frame arrays below are filled by loops, not by `Float64Array.from(frames, (p) => …)` or `.map`: an arrow
// made on each call keeps its TurboFan code only while one of its instances lives, so each mark-compact between
// two clips dropped it and a 3 h run compiled every such arrow ~30 times a worker (`--trace-opt --print-opt-source`).

/** The F0 of `frames` in semitones. */
function semitonesAt(f0Hz: Float32Array, frames: readonly number[]): Float64Array {
  const st = new Float64Array(frames.length);
  for (let i = 0; i < frames.length; i++) st[i] = semitonesOf(f0Hz[frames[i]]);
  return st;
}

/** Median of the pairwise slopes (Theil–Sen): a line that a few octave jumps or creaky frames do not tilt. */
export function theilSen(t: ArrayLike<number>, y: ArrayLike<number>): number {
  const slopes: number[] = [];
  for (let i = 0; i < t.length; i++) {
    for (let j = i + 1; j < t.length; j++) if (t[j] !== t[i]) slopes.push((y[j] - y[i]) / (t[j] - t[i]));
  }
  return slopes.length > 0 ? quantile(Float64Array.from(slopes).sort(), 50) : NaN;
}

/**
 * Voiced pitch frames inside speech, in time order, without those more than `maxFromMedianSt` from the clip's
 * median F0: YIN's octave errors (halving in creaky voice at a phrase's end: 60 Hz frames in a 190 Hz voice on
 * VCTK p230) would otherwise read as a final fall or rise of 12 semitones.
 */
export function voicedInSpeech({ pitch, isSpeech }: ProsodyInput, maxFromMedianSt: number): number[] {
  const all: number[] = [];
  for (let p = 0; p < pitch.f0Hz.length; p++) if (pitch.f0Hz[p] > 0 && isSpeech[p * pitch.stride]) all.push(p);
  const centre = quantile(semitonesAt(pitch.f0Hz, all).sort(), 50);
  const kept: number[] = [];
  for (const p of all) if (Math.abs(semitonesOf(pitch.f0Hz[p]) - centre) <= maxFromMedianSt) kept.push(p);
  return kept;
}

/**
 * The final movement of the F0 in the clip's last `finalSec` before its last voiced frame: the window's lowest and
 * highest points (3-frame median of the voiced frames), then a Theil–Sen line from the later of the two to the end
 * when at least `minMoveSec` of voiced frames follow it and the end moved away from it, else from the earlier one. One line over the whole window
 * misses the typical question, whose pitch drops onto the last stressed syllable and then rises from there
 * (espeak-ng's questions do the same within 200 ms), and it would call a peak followed by a fall flat.
 */
export function finalMovement(
  input: ProsodyInput,
  voiced: number[],
  o: ProsodyOptions,
): { slope: number; changeSt: number; sec: number } | undefined {
  const { f0Hz, frameSec } = input.pitch;
  if (voiced.length === 0) return undefined;
  const last = voiced[voiced.length - 1];
  const from = last - Math.round(o.finalSec / frameSec);
  let first = voiced.length - 1;
  while (first > 0 && voiced[first - 1] > from) first--;
  const frames = voiced.slice(first);
  if (frames.length * frameSec < o.minFinalVoicedSec) return undefined;
  const st = semitonesAt(f0Hz, frames);
  // Windows at the ends move inward, so a glitch on the very last frame (a voicing offset) is outvoted too.
  const smooth = new Float64Array(st.length);
  for (let i = 0; i < st.length; i++) {
    const c = Math.max(1, Math.min(st.length - 2, i));
    smooth[i] = st.length < 3 ? st[i] : median3(st[c - 1], st[c], st[c + 1]);
  }
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < smooth.length; i++) {
    if (smooth[i] < smooth[lo]) lo = i;
    if (smooth[i] > smooth[hi]) hi = i;
  }
  const least = Math.max(2, Math.round(o.minMoveSec / frameSec));
  // The later extreme starts the final movement when enough follows it and the end moved away from it by half a
  // rise; a wiggle after a statement's low (80 → 83 → 79 Hz) is not a movement of its own.
  const later = Math.max(lo, hi);
  const moved = Math.abs(smooth[smooth.length - 1] - smooth[later]) >= o.minChangeSt / 2;
  const turn = frames.length - later >= least && moved ? later : Math.min(lo, hi);
  const t = new Float64Array(frames.length - turn);
  for (let i = 0; i < t.length; i++) t[i] = frames[turn + i] * frameSec;
  if (t.length < 2) return { slope: 0, changeSt: 0, sec: 0 };
  const slope = theilSen(t, st.slice(turn));
  // The change is the fitted line's: one robust fit gives slope and change the same sign, where an end point
  // (the last frame, often a weak voicing offset) could contradict the line.
  const sec = t[t.length - 1] - t[0];
  return { slope, changeSt: slope * sec, sec };
}

const median3 = (a: number, b: number, c: number) => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));

/** Pause-separated runs of speech frames [start, end) (energy frames), pauses of at least `minPauseSec`. */
export function speechSegments(isSpeech: Uint8Array, hopSec: number, minPauseSec: number): [number, number][] {
  const pause = Math.max(1, Math.round(minPauseSec / hopSec));
  const out: [number, number][] = [];
  let start = -1;
  let lastSpeech = -1;
  for (let f = 0; f < isSpeech.length; f++) {
    if (!isSpeech[f]) continue;
    if (start < 0) start = f;
    else if (f - lastSpeech - 1 >= pause) {
      out.push([start, lastSpeech + 1]);
      start = f;
    }
    lastSpeech = f;
  }
  if (start >= 0) out.push([start, lastSpeech + 1]);
  return out;
}

/**
 * Syllable nuclei in energy frames [start, end): peaks of the (3-frame smoothed) level that rise `dipDb` above the
 * lowest level since the previous nucleus and are followed by a fall of as much (or the segment's end), counted
 * when the pitch frame at the peak is voiced (a fricative's burst of energy is not a syllable).
 */
export function countNuclei(input: ProsodyInput, start: number, end: number, dipDb: number): number {
  const { rmsDb, pitch } = input;
  // No closures or array destructuring in this per-frame loop: V8 allocated for them on every frame.
  const f0 = pitch.f0Hz;
  const stride = pitch.stride;
  let count = 0;
  let dip = Infinity;
  let peak = -Infinity;
  let peakFrame = -1;
  let rising = true;
  for (let f = start; f < end; f++) {
    const v = (rmsDb[Math.max(start, f - 1)] + rmsDb[f] + rmsDb[Math.min(end - 1, f + 1)]) / 3;
    if (rising) {
      if (v < dip && peakFrame < 0) dip = v;
      if (v >= dip + dipDb && v > peak) {
        peak = v;
        peakFrame = f;
      }
      if (peakFrame >= 0 && v <= peak - dipDb) {
        if (voicedAtFrame(f0, stride, peakFrame)) count++;
        rising = false;
        dip = v;
        peak = -Infinity;
        peakFrame = -1;
      }
    } else if (v < dip) dip = v;
    else if (v >= dip + dipDb) {
      rising = true;
      peak = v;
      peakFrame = f;
    }
  }
  if (rising && peakFrame >= 0 && voicedAtFrame(f0, stride, peakFrame)) count++;
  return count;
}

/** Whether the pitch frame over energy frame `f` is voiced. */
function voicedAtFrame(f0Hz: Float32Array, stride: number, f: number): boolean {
  return f0Hz[Math.min(f0Hz.length - 1, Math.round(f / stride))] > 0;
}

export function clipProsody(input: ProsodyInput, o: ProsodyOptions): ClipProsody {
  const { pitch, rmsDb, hopSec, isSpeech } = input;
  const voiced = voicedInSpeech(input, o.maxFromMedianSt);
  const n = voiced.length;
  const st = semitonesAt(pitch.f0Hz, voiced).sort();
  const med = quantile(st, 50);
  let sum = 0;
  let sumSq = 0;
  for (const v of st) [sum, sumSq] = [sum + v, sumSq + v * v];
  const deviations = new Float64Array(n);
  const levels = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    deviations[i] = Math.abs(st[i] - med);
    levels[i] = rmsDb[voiced[i] * pitch.stride];
  }
  deviations.sort();
  levels.sort();
  const final = finalMovement(input, voiced, o);

  const rates: { rate: number; sec: number }[] = [];
  for (const [a, b] of speechSegments(isSpeech, hopSec, o.minPauseSec)) {
    const sec = (b - a) * hopSec;
    if (sec >= o.minSegmentSec) rates.push({ rate: countNuclei(input, a, b, o.nucleusDipDb) / sec, sec });
  }
  const totalSec = rates.reduce((s, r) => s + r.sec, 0);
  const meanRate = totalSec > 0 ? rates.reduce((s, r) => s + r.rate * r.sec, 0) / totalSec : NaN;
  const rateVar = totalSec > 0 ? rates.reduce((s, r) => s + r.sec * (r.rate - meanRate) ** 2, 0) / totalSec : NaN;

  return {
    voicedFrames: n,
    voicedSec: n * pitch.frameSec,
    medianHz: 100 * 2 ** (med / 12),
    f0RangeSt: n > 0 ? quantile(st, 95) - quantile(st, 5) : NaN,
    f0SpreadSt: n > 0 ? 1.4826 * quantile(deviations, 50) : NaN,
    f0StdSt: n > 0 ? Math.sqrt(Math.max(0, sumSq / n - (sum / n) ** 2)) : NaN,
    finalSlopeStPerSec: final?.slope,
    finalChangeSt: final?.changeSt,
    energySpreadDb: n > 0 ? quantile(levels, 90) - quantile(levels, 10) : undefined,
    syllableRate: totalSec > 0 ? meanRate : undefined,
    paceSpread: rates.length >= 2 && meanRate > 0 ? Math.sqrt(rateVar) / meanRate : undefined,
    paceSegments: rates.length,
  };
}

export const CONTOURS = ['rise', 'fall', 'flat'] as const;
export type Contour = (typeof CONTOURS)[number];

/** Rise or fall when the final movement is both large (`minChangeSt`) and quick (`minSlopeStPerSec`); else flat. */
export function contourOf(
  changeSt: number,
  slope: number,
  c: { minChangeSt: number; minSlopeStPerSec: number },
): Contour {
  if (changeSt >= c.minChangeSt && slope >= c.minSlopeStPerSec) return 'rise';
  if (changeSt <= -c.minChangeSt && slope <= -c.minSlopeStPerSec) return 'fall';
  return 'flat';
}
