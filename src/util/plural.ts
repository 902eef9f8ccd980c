/** `1 error`, `7 errors`, `1,204 clips`; `many` for the irregular ones (`1 speaker below`, …). */
export const counted = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
