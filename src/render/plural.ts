// Counts as people write them: "1 row", "2 rows", "6,038 rows".
import { formatCount } from './count.js';

/** `n` (grouped, as in the tables) with its noun, singular for exactly one. */
export function counted(n: number | bigint | string, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${String(n) === '1' ? one : many}`;
}
