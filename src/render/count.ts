// Counts (tokens, requests, rows) as people read them: thousands grouped, the same in every table and line.

/** `24,573,603`; a non-integer (tokens per request) keeps its decimals: `38,276.6`. Null is empty. */
export function formatCount(value: number | bigint | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'bigint') return value.toLocaleString('en-US');
  if (typeof value === 'string') {
    // Counts arrive from the database as exact integer text (BIGINT/HUGEINT): group without a float.
    if (/^-?\d+$/.test(value)) return BigInt(value).toLocaleString('en-US');
    const n = Number(value);
    return Number.isFinite(n) ? formatCount(n) : value;
  }
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { maximumFractionDigits: 20 });
}
