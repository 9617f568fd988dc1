// What 2026 providers bill by (issue #15): usage rows carry the breakdowns and served variants of the
// native usage log version 2, and the rules that priced them. usage_revisions mirrors usage (see 008).
// Existing rows keep their cost: the new counts are 0, the variants unknown (NULL), and price_rules
// NULL until `reprice` prices them again.
import type { Migration } from './types.js';

/** Counts that break down input_tokens / output_tokens, and per-call units, per usage-log v2. */
const COUNTS = [
  'reasoning_tokens',
  'audio_input_tokens',
  'image_input_tokens',
  'audio_output_tokens',
  'image_output_tokens',
  'images',
  'web_search_calls',
];
/** The served variant (NULL: not stated, priced as standard) and the rules pricing applied. */
const TEXTS = ['service_tier', 'speed', 'region', 'price_rules'];

const addColumns = (table: string) => [
  ...COUNTS.map((c) => `ALTER TABLE ${table} ADD COLUMN ${c} BIGINT DEFAULT 0`),
  ...TEXTS.map((c) => `ALTER TABLE ${table} ADD COLUMN ${c} VARCHAR`),
];

export const billedVariantsMigration: Migration = {
  version: 9,
  name: 'billed-variants',
  statements: [...addColumns('usage'), ...addColumns('usage_revisions')],
};
