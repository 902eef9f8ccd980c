/**
 * Gathers single calls into batches of `size` for `run`; a batch not full when the calls stop coming (the end of
 * the source, a slow reader) is sent on the next turn of the event loop, so no item waits for company. When a
 * whole batch fails (a worker thread died), each of its items is run again on its own, so only the culprit gets
 * `failed`. The returned function never rejects.
 */
export function batcher<T, R>(
  size: number,
  run: (batch: T[]) => Promise<R[]>,
  failed: (item: T, err: unknown) => R,
): (item: T) => Promise<R> {
  let batch: { item: T; resolve: (r: R) => void }[] = [];
  let timer: NodeJS.Immediate | undefined;
  const alone = (item: T): Promise<R> =>
    run([item]).then(
      ([r]) => (r === undefined ? failed(item, new Error('no result')) : r),
      (err: unknown) => failed(item, err),
    );
  const flush = () => {
    if (timer) clearImmediate(timer);
    timer = undefined;
    const sent = batch;
    batch = [];
    run(sent.map((b) => b.item)).then(
      (results) => {
        for (const [i, b] of sent.entries()) {
          if (results[i] === undefined) void alone(b.item).then(b.resolve);
          else b.resolve(results[i]);
        }
      },
      () => {
        for (const b of sent) void alone(b.item).then(b.resolve);
      },
    );
  };
  return (item) =>
    new Promise<R>((resolve) => {
      batch.push({ item, resolve });
      if (batch.length >= size) flush();
      else timer ??= setImmediate(flush);
    });
}
