// Speech activity from frame levels of the speech band (the signal high-passed at `SPEECH_BAND_HZ`), against a
// noise floor that follows the clip. Two thresholds, as in Rabiner and Sambur's endpoint detector: a run of frames
// above the lower one (just over the floor) is speech only when it also holds enough frames above the upper one
// (near the speech level). A click or a breath rises over the floor but not for long near the speech level, so it
// neither starts nor ends speech; the run that does count keeps its quiet onset and decay.

/** What the detector needs, all in dB; the frame levels are per 10 ms hop. */
export interface ActivitySettings {
  speechLevel: number;
  /** Lower threshold: at least this far above the tracked floor … */
  noiseMarginDb: number;
  /** … and no lower than this far below the speech level. */
  relativeDb: number;
  /** Upper threshold: within this of the speech level … */
  coreDb: number;
  /** … and at least this far above the tracked floor. */
  coreMarginDb: number;
  /** A run needs this many frames above the upper threshold to be speech. */
  minCoreFrames: number;
  /** A run shorter than this many frames is never speech. */
  minRunFrames: number;
  /** Gaps of at most this many frames between speech runs are not pauses (a stop's closure). */
  hangoverFrames: number;
  /** The floor at a frame is the lowest smoothed level within this many frames either side. */
  floorWindowFrames: number;
  /** The outer edges move out while the level stays this far (or 3σ) above the silence beyond them … */
  edgeMarginDb: number;
  /** … by at most this many frames. */
  maxEdgeFrames: number;
}

export interface Activity {
  /** 1 for a frame of speech (inside a kept run, or a gap the hangover bridges), else 0. */
  isSpeech: Uint8Array;
  /** Tracked noise floor per frame (dBFS). */
  floor: Float32Array;
  /** Kept runs, as [first, last] frame pairs, in order. */
  runs: Int32Array;
}

/** Frame levels averaged in power over three frames: one noisy frame moves the floor less. */
function smoothed(levels: Float32Array): Float32Array {
  const n = levels.length;
  const power = new Float64Array(n);
  for (let i = 0; i < n; i++) power[i] = 10 ** (levels[i] / 10);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - 1);
    const hi = Math.min(n - 1, i + 1);
    let sum = 0;
    for (let j = lo; j <= hi; j++) sum += power[j];
    out[i] = 10 * Math.log10(sum / (hi - lo + 1) + 1e-30);
  }
  return out;
}

/**
 * Minimum statistics (after Martin 2001, centred since the whole clip is known): the lowest smoothed level within
 * `w` frames either side. A monotone deque keeps it O(n).
 */
export function trackFloor(levels: Float32Array, w: number, s = smoothed(levels)): Float32Array {
  const n = s.length;
  const out = new Float32Array(n);
  const deque = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let next = 0;
  for (let i = 0; i < n; i++) {
    for (; next < n && next <= i + w; next++) {
      while (tail > head && s[deque[tail - 1]] >= s[next]) tail--;
      deque[tail++] = next;
    }
    while (deque[head] < i - w) head++;
    out[i] = s[deque[head]];
  }
  return out;
}

/** Speech frames and runs of one clip from its speech-band frame levels. */
export function speechActivity(levels: Float32Array, c: ActivitySettings): Activity {
  const n = levels.length;
  const smooth = smoothed(levels);
  const floor = trackFloor(levels, c.floorWindowFrames, smooth);
  const runs: number[] = [];
  let start = -1;
  let core = 0;
  for (let i = 0; i <= n; i++) {
    const lower = i < n ? Math.max(c.speechLevel - c.relativeDb, floor[i] + c.noiseMarginDb) : Infinity;
    if (i < n && levels[i] >= lower) {
      if (start < 0) start = i;
      const upper = Math.max(c.speechLevel - c.coreDb, floor[i] + c.coreMarginDb);
      if (levels[i] >= upper) core++;
      continue;
    }
    if (start >= 0 && core >= c.minCoreFrames && i - start >= c.minRunFrames) runs.push(start, i - 1);
    start = -1;
    core = 0;
  }
  if (runs.length > 0) {
    runs[0] = widen(levels, runs[0], -1, c);
    runs[runs.length - 1] = widen(levels, runs[runs.length - 1], 1, c);
  }
  const isSpeech = new Uint8Array(n);
  for (let r = 0; r < runs.length; r += 2) {
    // A short gap before this run is bridged: the run continues from the previous one.
    const gap = r > 0 ? runs[r] - runs[r - 1] - 1 : Infinity;
    const from = gap <= c.hangoverFrames ? runs[r - 1] + 1 : runs[r];
    isSpeech.fill(1, from, runs[r + 1] + 1);
  }
  return { isSpeech, floor, runs: Int32Array.from(runs) };
}

const MIN_SILENCE_FRAMES = 10;
const EDGE_SIGMAS = 3;

/**
 * Moves the speech's first (`step` −1) or last (`step` 1) frame out over the quiet onset or decay that the floor's
 * margin hid: while the frame level (unsmoothed, so the edge does not bleed into the silence) stands out of the level distribution of the silence beyond the edge (its mean
 * plus `edgeMarginDb` or 3σ). Under loud noise that distribution is the noise's, so the edge lands where the speech
 * sinks into it, not `noiseMarginDb` above. Capped, so a breath joined to the first word does not become speech.
 */
function widen(level: Float32Array, edge: number, step: -1 | 1, c: ActivitySettings): number {
  const limit = silenceLimit(level, edge, step, c.edgeMarginDb);
  if (limit === undefined) return edge;
  let at = edge;
  for (let k = 0; k < c.maxEdgeFrames; k++) {
    const next = at + step;
    if (next < 0 || next >= level.length || level[next] < limit) break;
    at = next;
  }
  return at;
}

/**
 * The level above which a frame stands out of the silence beyond an edge (from 3 frames past it to the clip's end or
 * start): that silence's mean plus `marginDb` or 3σ; undefined when fewer than 10 frames of it are left.
 */
function silenceLimit(level: Float32Array, edge: number, step: -1 | 1, marginDb: number): number | undefined {
  const from = step < 0 ? 0 : edge + 3;
  const to = step < 0 ? edge - 3 : level.length;
  if (to - from < MIN_SILENCE_FRAMES) return undefined;
  let sum = 0;
  let sumSq = 0;
  for (let i = from; i < to; i++) {
    sum += level[i];
    sumSq += level[i] * level[i];
  }
  const mean = sum / (to - from);
  const sd = Math.sqrt(Math.max(0, sumSq / (to - from) - mean * mean));
  return mean + Math.max(marginDb, EDGE_SIGMAS * sd);
}

/** How far the speech's last frame may move over a sound after it. */
export interface TailSettings {
  /** The sound stands out of the silence beyond by this (or 3σ) … */
  edgeMarginDb: number;
  /** … for this many frames in a row … */
  minFrames: number;
  /** … after a gap of at most this many frames (a final stop's closure) … */
  gapFrames: number;
  /** … and ends at most this many frames after the last speech frame. */
  maxFrames: number;
}

/**
 * Moves the last speech frame of `isSpeech` (in place) over what follows it after a short gap: a final stop's
 * release after its closure, or a soft fricative that the detector's level left under its floor margin, heard in
 * `level` (the spectral level, which hears a burst's high bands over white or pink noise). `widen` stops at the first
 * quiet frame; this bridges a gap of up to `gapFrames`, and needs `minFrames` loud frames in a row, so one noisy frame
 * does not move the edge. Returns the new last frame (-1 without speech).
 */
export function extendTail(level: Float32Array, isSpeech: Uint8Array, c: TailSettings): number {
  const last = isSpeech.lastIndexOf(1);
  if (last < 0) return last;
  const limit = silenceLimit(level, last, 1, c.edgeMarginDb);
  if (limit === undefined) return last;
  let at = last;
  let run = 0;
  let quiet = 0;
  for (let f = last + 1; f <= Math.min(level.length - 1, last + c.maxFrames); f++) {
    if (level[f] >= limit) {
      quiet = 0;
      if (++run >= c.minFrames) at = f;
    } else {
      run = 0;
      if (++quiet > c.gapFrames) break;
    }
  }
  isSpeech.fill(1, last + 1, at + 1);
  return at;
}
