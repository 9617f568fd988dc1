// Counts as people write them: "1 row", "2 rows".

/** `n` with its noun, singular for exactly one. */
export function counted(n: number | bigint | string, one: string, many = `${one}s`): string {
  return `${n} ${String(n) === '1' ? one : many}`;
}
