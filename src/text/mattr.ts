/** Moving-average TTR over a sliding window, updated one word at a time in O(1). */
export function mattrTracker(window: number) {
  const ring: string[] = [];
  const counts = new Map<string, number>();
  let sum = 0;
  let windows = 0;
  return {
    push(word: string) {
      ring.push(word);
      counts.set(word, (counts.get(word) ?? 0) + 1);
      if (ring.length > window) {
        const old = ring.shift()!;
        const n = counts.get(old)! - 1;
        if (n === 0) counts.delete(old);
        else counts.set(old, n);
      }
      if (ring.length === window) {
        sum += counts.size / window;
        windows += 1;
      }
    },
    value: (): number | null => (windows > 0 ? sum / windows : ring.length > 0 ? counts.size / ring.length : null),
  };
}
