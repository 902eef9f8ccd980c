/** "1 line", "2 lines": a count with its noun, for messages people read. */
export const counted = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
