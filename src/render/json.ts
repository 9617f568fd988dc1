// JSON on stdout: Decimal and bigint become strings, Dates ISO strings, and nothing else is printed.
import { Decimal } from '../domain/money.js';

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

export function renderJson(value: unknown): string {
  return JSON.stringify(toJsonValue(value), null, 2);
}
