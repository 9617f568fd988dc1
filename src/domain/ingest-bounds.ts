// What a row may say and still be stored: the edge every ingest format checks, so one absurd value is a
// reject naming its line instead of a poison that breaks later commands.
//
// Instants: a year-0 timestamp was stored as 1 BC and then broke every command that formats dates
// ("Invalid time value"); years past 2100 are typos or unit mix-ups (milliseconds read as seconds).
// Counts: at most 10^15 each, so a row's token total (the sum of its at most 7 counts) and any sum over
// 10^3 rows stay far inside a 64-bit integer (9.2 × 10^18): no report overflows, whatever is stored.

/** Earliest instant a row may carry (inclusive). */
export const EARLIEST_INSTANT = new Date('1970-01-01T00:00:00Z');
/** First instant a row may no longer carry (exclusive). */
export const END_OF_INSTANTS = new Date('2100-01-01T00:00:00Z');
/** Largest token (or request, or byte) count one row may carry. */
export const MAX_COUNT = 10n ** 15n;

/** The reject reason's tail for an instant outside the range. */
export const INSTANT_RANGE_RULE = 'is outside the accepted range 1970-01-01 to 2099-12-31 (UTC)';
/** The reject reason's tail for a count over MAX_COUNT. */
export const COUNT_RULE = `is larger than ${MAX_COUNT} (the most one row may carry)`;

export function instantInRange(d: Date): boolean {
  return d.getTime() >= EARLIEST_INSTANT.getTime() && d.getTime() < END_OF_INSTANTS.getTime();
}
