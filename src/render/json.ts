// JSON on stdout: Decimal and bigint become strings, Dates ISO strings, and nothing else is printed.
import { toJsonValue } from '../domain/exact-json.js';

export { toJsonValue };

export function renderJson(value: unknown): string {
  return JSON.stringify(toJsonValue(value), null, 2);
}
