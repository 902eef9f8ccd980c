/**
 * Normalised edit similarity, 1 − Levenshtein(a, b) / max(|a|, |b|), in UTF-16 code units.
 * Returns null as soon as the similarity is certain to fall below `min`: only a diagonal band of
 * half-width ⌊(1 − min)·max(|a|, |b|)⌋ is computed, so a check costs O(length × band), not O(length²).
 */
export function editSimilarity(a: string, b: string, min = 0): number | null {
  if (a.length < b.length) [a, b] = [b, a];
  const n = a.length;
  const m = b.length;
  if (n === 0) return 1;
  const maxDist = Math.floor((1 - min) * n + 1e-9);
  if (n - m > maxDist) return null;
  const big = maxDist + 1;
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j <= maxDist ? j : big;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - maxDist);
    const hi = Math.min(m, i + maxDist);
    // Only the band is written; the cells just outside it are fenced so the next row never reads stale values.
    cur[lo - 1] = lo === 1 && i <= maxDist ? i : big;
    if (hi < m) cur[hi + 1] = big;
    let rowMin = cur[lo - 1];
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j - 1] + cost, prev[j] + 1, cur[j - 1] + 1);
      cur[j] = v > big ? big : v;
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > maxDist) return null;
    [prev, cur] = [cur, prev];
  }
  const d = prev[m];
  return d > maxDist ? null : 1 - d / n;
}
