// The served tier, speed and region values costctl knows, per usage field: one list for ingest's SQL, its
// warnings and the server's record, check and estimate bodies. Any other value is stored as given and
// priced as standard, with a warning that names it.
import { KNOWN_REGIONS, KNOWN_SPEEDS } from './model-names.js';
import { KNOWN_SERVICE_TIERS } from './pricing-components.js';

export type ServedField = 'service_tier' | 'speed' | 'region';

/** What each field's unknown value is priced as, and the values costctl knows (so a typo shows). */
export const SERVED_VALUES: Record<ServedField, { pricedAs: string; known: readonly string[] }> = {
  service_tier: { pricedAs: 'at the standard tier', known: KNOWN_SERVICE_TIERS },
  speed: { pricedAs: 'at standard speed', known: KNOWN_SPEEDS },
  region: { pricedAs: 'at standard prices', known: KNOWN_REGIONS },
};

export const SERVED_FIELDS = Object.keys(SERVED_VALUES) as ServedField[];

/** True for a value costctl does not know (compared trimmed and ignoring case, as unknownServedSql does). */
export function isUnknownServed(field: ServedField, value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  const v = value.trim().toLowerCase();
  return v !== '' && !SERVED_VALUES[field].known.includes(v);
}
