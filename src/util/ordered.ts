/**
 * Maps an async stream with up to `concurrency` calls in flight and yields the results in input order, so a
 * parallel run writes and folds exactly what a sequential one would. Memory holds at most `concurrency` pending
 * results. Stops pulling input once `stop()` returns true (the calls in flight still finish and are yielded).
 */
export async function* mapOrdered<T, R>(
  input: AsyncIterable<T>,
  fn: (item: T) => Promise<R>,
  concurrency: number,
  stop: () => boolean = () => false,
): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  const iterator = input[Symbol.asyncIterator]();
  let done = false;
  try {
    while (true) {
      while (!done && pending.length < concurrency && !stop()) {
        const next = await iterator.next();
        if (next.done) done = true;
        else {
          const p = fn(next.value);
          p.catch(() => {}); // awaited below, in order; this only keeps an early rejection from going unhandled
          pending.push(p);
        }
      }
      const head = pending.shift();
      if (!head) break;
      yield await head;
    }
  } finally {
    if (!done) await iterator.return?.();
  }
}
