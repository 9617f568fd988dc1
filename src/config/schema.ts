// Every config key costctl knows, with its check. Unknown or invalid keys are all reported at once.
import { isCalendarDay } from '../domain/calendar-day.js';
import { parseAcceptedDay } from '../domain/ingest-bounds.js';
import { isValidTimeZone } from '../domain/time.js';

export type Check = (value: unknown) => string | undefined; // an error text, or undefined when fine

const isString: Check = (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a non-empty string');
const isTimeZone: Check = (v) =>
  typeof v === 'string' && isValidTimeZone(v)
    ? undefined
    : 'must be an IANA time zone such as "UTC" or "Europe/Berlin"';
/**
 * The currency every price in the catalog is stated in. costctl reports in it and converts nothing, so a
 * different `currency` would only relabel dollar figures as another currency: refused, not honoured.
 */
export const CATALOG_CURRENCY = 'USD';

export const CURRENCY_REFUSAL = `costctl reports in its price catalog's currency (${CATALOG_CURRENCY}) and has no exchange rates to convert with`;

const isCurrency: Check = (v) => {
  if (typeof v !== 'string' || !/^[A-Z]{3}$/.test(v)) return 'must be a 3-letter ISO 4217 code such as "USD"';
  return v === CATALOG_CURRENCY ? undefined : `must be "${CATALOG_CURRENCY}" (got "${v}"): ${CURRENCY_REFUSAL}`;
};
const isNonNegativeInt: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? undefined : 'must be a whole number ≥ 0';
const isBoolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
const isEmailList: Check = (v) =>
  Array.isArray(v) && v.every((e) => typeof e === 'string' && /^[^@\s]+@[^@\s]+$/.test(e))
    ? undefined
    : 'must be a list of email addresses';
const isDateList: Check = (v) =>
  Array.isArray(v) && v.every((d) => typeof d === 'string' && isCalendarDay(d))
    ? undefined
    : 'must be a list of dates written YYYY-MM-DD, such as ["2026-12-25", "2027-01-01"]';
const isSmtpUrl: Check = (v) => {
  if (typeof v !== 'string') return 'must be a string such as "smtp://user:pass@host:587"';
  try {
    const u = new URL(v);
    return u.protocol === 'smtp:' || u.protocol === 'smtps:' ? undefined : 'must start with smtp:// or smtps://';
  } catch {
    return 'is not a valid URL (expected smtp://host:port or smtps://host:port)';
  }
};

const isAcceptedDay: Check = (v) => {
  if (typeof v !== 'string') return 'must be a date such as "2020-01-01"';
  const d = parseAcceptedDay(v);
  return typeof d === 'string' ? d : undefined;
};

/** A nested spec: a key maps to a check, or to a further spec; `*` matches any key at that level. */
export interface Spec {
  [key: string]: Check | Spec;
}

export const CONFIG_SPEC: Spec = {
  db: isString,
  tz: isTimeZone,
  currency: isCurrency,
  lock_timeout_ms: isNonNegativeInt,
  accepted_from: isAcceptedDay,
  accepted_to: isAcceptedDay,
  outbox_dir: isString,
  alert_recipients: isEmailList,
  holidays: isDateList,
  smtp: { url: isSmtpUrl, from: isString, password: isString },
  jobs: { '*': { schedule: isString, enabled: isBoolean, recipients: isEmailList } },
};

export interface ConfigProblem {
  key: string;
  message: string;
}

export function validateConfig(value: unknown, spec: Spec = CONFIG_SPEC, prefix = ''): ConfigProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ key: prefix || '(root)', message: 'must be a JSON object' }];
  }
  const problems: ConfigProblem[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const rule = spec[key] ?? spec['*'];
    if (rule === undefined) {
      problems.push({ key: path, message: `unknown key (known: ${Object.keys(spec).join(', ')})` });
    } else if (typeof rule === 'function') {
      const message = rule(child);
      if (message) problems.push({ key: path, message });
    } else {
      problems.push(...validateConfig(child, rule, path));
    }
  }
  return problems;
}
