// JSON.parse turns 0.1 into a binary float. For price catalogs and billing pages we keep every number
// literal as its exact text, so a price is read as written.

import { Decimal } from './money.js';

const NUMBER_MARK = '\u0000#';

/** A JSON number kept as its source text. */
export class JsonNumber {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Parses JSON; every number becomes a JsonNumber carrying its literal text. Throws SyntaxError like JSON.parse. */
export function parseJsonExact(text: string): unknown {
  let out = '';
  let i = 0;
  let last = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      i++;
      while (i < n && /[0-9eE.+-]/.test(text[i]!)) i++;
      // The mark is written as a JSON escape (a raw control character is not valid inside a string).
      out += `${text.slice(last, start)}"\\u0000#${text.slice(start, i)}"`;
      last = i;
      continue;
    }
    i++;
  }
  out += text.slice(last);
  return JSON.parse(out, (_key, value) =>
    typeof value === 'string' && value.startsWith(NUMBER_MARK)
      ? new JsonNumber(value.slice(NUMBER_MARK.length))
      : value,
  );
}

/** A value as JSON carries it: Decimal and bigint become exact strings, Dates ISO strings. */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof Decimal) return value.toFixed();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonValue(v);
    return out;
  }
  return value;
}
