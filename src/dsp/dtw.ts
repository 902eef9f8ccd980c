// Dynamic time warping inside a Sakoe–Chiba band, for scoring how well a recording follows a synthesized reading.
//
// Step pattern "symmetric2" (Sakoe & Chiba 1978; R's dtw default): a diagonal step costs 2·d, a horizontal or
// vertical one d, so every path from (0, 0) to (i, j) carries total weight i + j + 2, and the accumulated cost
// divided by it is a weighted mean local distance, comparable between clips of any length.
//
// The band follows the straight line from corner to corner (j ≈ i·(m−1)/(n−1)) rather than j = i, so two readings
// at different speeds stay inside it. Only two rows of costs are kept: O(m) memory, O(n·band) time.

export interface DtwResult {
  /** Cost of the best path from (0, 0) to (n−1, m−1), divided by n + m: a mean local distance. */
  pathCost: number;
  /**
   * The best path that starts at (0, 0) but may stop early in either sequence — at (n−1, j) or (i, m−1) — when
   * that lowers its mean cost: how much of each sequence the other one accounts for (aeneas-style open end).
   */
  openEnd: { cost: number; coverageA: number; coverageB: number };
  /** Cells evaluated. */
  cells: number;
}

/**
 * Best warping path between two sequences of lengths `n` and `m`, where `distance(i, j)` is the local cost of
 * pairing element i of the first with element j of the second. `band` is the half-width in elements around the
 * corner-to-corner line; it is widened to the slope so that consecutive rows' bands always overlap. An open end
 * must still cover at least `minCoverage` of each sequence: a path through a few elements is not a match.
 */
export function dtw(
  n: number,
  m: number,
  band: number,
  distance: (i: number, j: number) => number,
  minCoverage = 0.5,
): DtwResult {
  if (n <= 0 || m <= 0) return { pathCost: NaN, openEnd: { cost: NaN, coverageA: NaN, coverageB: NaN }, cells: 0 };
  const slope = n > 1 ? (m - 1) / (n - 1) : 0;
  const half = Math.max(band, Math.ceil(slope) + 1);
  let prev = new Float64Array(m).fill(Infinity);
  let cur = new Float64Array(m).fill(Infinity);
  let [prevLo, prevHi] = [0, -1];
  const openEnd = { cost: Infinity, coverageA: 1, coverageB: 1 };
  const consider = (i: number, j: number, total: number) => {
    const cost = total / (i + j + 2);
    if (cost < openEnd.cost) Object.assign(openEnd, { cost, coverageA: (i + 1) / n, coverageB: (j + 1) / m });
  };
  let cells = 0;
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, Math.ceil(i * slope - half));
    const hi = i === n - 1 ? m - 1 : Math.min(m - 1, Math.floor(i * slope + half));
    for (let j = lo; j <= hi; j++) {
      const d = distance(i, j);
      let best = 2 * d;
      if (i > 0 || j > 0) {
        best = j > 0 ? prev[j - 1] + 2 * d : Infinity; // diagonal, from (i−1, j−1)
        const up = prev[j] + d; // from (i−1, j)
        const left = j > lo ? cur[j - 1] + d : Infinity; // from (i, j−1)
        if (up < best) best = up;
        if (left < best) best = left;
      }
      cur[j] = best;
    }
    cells += hi - lo + 1;
    if (hi === m - 1 && i + 1 >= minCoverage * n) consider(i, m - 1, cur[m - 1]);
    if (i === n - 1) for (let j = Math.max(lo, Math.ceil(minCoverage * m) - 1); j < m; j++) consider(i, j, cur[j]);
    // The row before becomes the next row to write: reset only the stretch it had written.
    [prev, cur] = [cur, prev];
    cur.fill(Infinity, prevLo, prevHi + 1);
    [prevLo, prevHi] = [lo, hi];
  }
  return { pathCost: prev[m - 1] / (n + m), openEnd, cells };
}
