import { describe, expect, it } from 'vitest';
import { batcher } from '../src/pipeline/batch.js';

/** A fake pool: records each batch it is given and answers item × 10, or rejects a batch holding `poison`. */
function fakePool(poison?: number) {
  const sent: number[][] = [];
  const run = async (batch: number[]) => {
    sent.push(batch);
    await new Promise((r) => setTimeout(r, 1));
    if (poison !== undefined && batch.includes(poison)) throw new Error(`worker died on ${poison}`);
    return batch.map((x) => x * 10);
  };
  return { sent, run };
}

describe('batcher', () => {
  it('sends full batches at once and the remainder on the next turn, each result to its own caller', async () => {
    const pool = fakePool();
    const call = batcher(4, pool.run, () => -1);
    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(call));
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(pool.sent).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
  });

  it('does not hold a lone call back waiting for a full batch', async () => {
    const pool = fakePool();
    const call = batcher(8, pool.run, () => -1);
    expect(await call(3)).toBe(30);
    expect(await call(4)).toBe(40);
    expect(pool.sent).toEqual([[3], [4]]);
  });

  it('runs the items of a failed batch again one by one, so only the culprit fails', async () => {
    const pool = fakePool(6);
    const failures: string[] = [];
    const call = batcher(4, pool.run, (x, err) => {
      failures.push(`${x}: ${(err as Error).message}`);
      return -x;
    });
    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(call));
    expect(results).toEqual([10, 20, 30, 40, 50, -6, 70, 80]);
    expect(failures).toEqual(['6: worker died on 6']);
    expect(pool.sent).toContainEqual([5, 6, 7, 8]);
    expect(pool.sent).toContainEqual([6]);
  });
});
