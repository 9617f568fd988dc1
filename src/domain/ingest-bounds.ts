// What a row may say and still be stored: the edge every ingest format checks, so one absurd value is a
// reject naming its line instead of a poison that breaks later commands.
//
// Instants: a year-0 timestamp was stored as 1 BC and then broke every command that formats dates
// ("Invalid time value"); years past 2100 are typos or unit mix-ups (milliseconds read as seconds). The
// range is 1970-01-01 to 2099-12-31 unless configured (`accepted_from` / `accepted_to`, inside 1900–9999).
// Counts: at most 10^15 each, so a row's token total (the sum of its at most 7 counts) and any sum over
// 10^3 rows stay far inside a 64-bit integer (9.2 × 10^18): no report overflows, whatever is stored.

/** Instants a row may carry: from `from` (inclusive) to `end` (exclusive), whole UTC days. */
export interface InstantRange {
  from: Date;
  end: Date;
}

/** Earliest instant a row may carry by default (inclusive). */
export const EARLIEST_INSTANT = new Date('1970-01-01T00:00:00Z');
/** First instant a row may no longer carry by default (exclusive). */
export const END_OF_INSTANTS = new Date('2100-01-01T00:00:00Z');
export const DEFAULT_INSTANT_RANGE: InstantRange = { from: EARLIEST_INSTANT, end: END_OF_INSTANTS };
/** Largest token (or request, or byte) count one row may carry. */
export const MAX_COUNT = 10n ** 15n;

/** The reject reason's tail for a count over MAX_COUNT. */
export const COUNT_RULE = `is larger than ${MAX_COUNT} (the most one row may carry)`;

// The range in force. An ingest run or a record sets it from its configuration before checking rows, so
// the adapters (which build their SQL from it) need no extra parameter.
let accepted: InstantRange = DEFAULT_INSTANT_RANGE;

export function acceptedInstants(): InstantRange {
  return accepted;
}

/** Runs `fn` with `range` in force (the default when undefined), then restores the one before. */
export async function withAcceptedInstants<T>(range: InstantRange | undefined, fn: () => Promise<T>): Promise<T> {
  const before = accepted;
  accepted = range ?? DEFAULT_INSTANT_RANGE;
  try {
    return await fn();
  } finally {
    accepted = before;
  }
}

const DAY_MS = 86_400_000;

/** The reject reason's tail for an instant outside the range. */
export function instantRangeRule(range: InstantRange = accepted): string {
  const last = new Date(range.end.getTime() - DAY_MS);
  return `is outside the accepted range ${range.from.toISOString().slice(0, 10)} to ${last.toISOString().slice(0, 10)} (UTC)`;
}

export function instantInRange(d: Date, range: InstantRange = accepted): boolean {
  return d.getTime() >= range.from.getTime() && d.getTime() < range.end.getTime();
}

/** The widest range a configuration may set: dates that every command can format and compute with. */
const OUTER = { from: new Date('1900-01-01T00:00:00Z'), last: new Date('9999-12-31T00:00:00Z') };

/** A configured day (YYYY-MM-DD, UTC) as its midnight, or why it cannot be one. */
export function parseAcceptedDay(text: string): Date | string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const d = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) : undefined;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text.trim()) {
    return `"${text}" is not a date (YYYY-MM-DD, e.g. 2020-01-01)`;
  }
  if (d < OUTER.from || d > OUTER.last) return `"${text}" must be from 1900-01-01 to 9999-12-31`;
  return d;
}

/**
 * The range from a first and a last accepted day (each optional: the default's otherwise), or the
 * problem with it. `names` say where each came from, for the message.
 */
export function acceptedRange(
  first: string | undefined,
  last: string | undefined,
  names: { first: string; last: string },
): InstantRange | string {
  let from = DEFAULT_INSTANT_RANGE.from;
  let end = DEFAULT_INSTANT_RANGE.end;
  if (first !== undefined) {
    const d = parseAcceptedDay(first);
    if (typeof d === 'string') return `${names.first}: ${d}`;
    from = d;
  }
  if (last !== undefined) {
    const d = parseAcceptedDay(last);
    if (typeof d === 'string') return `${names.last}: ${d}`;
    end = new Date(d.getTime() + DAY_MS);
  }
  if (from >= end) {
    const lastDay = new Date(end.getTime() - DAY_MS).toISOString().slice(0, 10);
    return `${names.first} (${from.toISOString().slice(0, 10)}) is after ${names.last} (${lastDay}): the first accepted day must not be after the last`;
  }
  return { from, end };
}
