// A masked viewer's answers: user and account ids replaced by the export's pseudonyms wherever an answer
// carries them as data: `user_id`/`user` and `account_id`/`account` fields, and a scope
// `{ type: 'user' | 'account', value }` or `user:ID` / `account:ID` in a `scope` field. Text written
// for people (an alert's title and message) is left as it is.
import { pseudonym } from '../../domain/pseudonym.js';

const COLUMN: Record<string, 'user_id' | 'account_id'> = {
  user_id: 'user_id',
  user: 'user_id',
  account_id: 'account_id',
  account: 'account_id',
};

export function maskIds(value: unknown, salt: string): unknown {
  if (Array.isArray(value)) return value.map((v) => maskIds(v, salt));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  // Decimal and bigint-like objects serialize themselves: leave anything that is not a plain object.
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const o = value as Record<string, unknown>;
  const scopeColumn = o.type === 'user' ? 'user_id' : o.type === 'account' ? 'account_id' : undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const column = COLUMN[k];
    if (column && typeof v === 'string' && v !== '(none)') out[k] = pseudonym(column, v, salt);
    else if (k === 'value' && scopeColumn && typeof v === 'string') out[k] = pseudonym(scopeColumn, v, salt);
    else if (k === 'scope' && typeof v === 'string') {
      const m = /^(user|account):(.+)$/.exec(v);
      out[k] = m ? `${m[1]}:${pseudonym(`${m[1]}_id`, m[2]!, salt)}` : v;
    } else out[k] = maskIds(v, salt);
  }
  return out;
}
