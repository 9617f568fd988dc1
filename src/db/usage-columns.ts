// The fields of costctl's native usage log (../shared/formats/usage-log.md), and how each is checked.
// Every usage adapter maps its source onto these names, then shares one validation (validate-usage.ts).

export type FieldKind =
  | 'id'
  | 'timestamp'
  | 'text'
  | 'count'
  | 'decimal'
  | 'signed-decimal'
  | 'cost-type'
  | 'currency'
  | 'tags';

export interface NativeField {
  name: string;
  /** Column in `usage` / `staged` (only `timestamp` differs: stored as `ts`). */
  column: string;
  kind: FieldKind;
  required?: boolean;
}

export const NATIVE_FIELDS: NativeField[] = [
  { name: 'request_id', column: 'request_id', kind: 'id' },
  { name: 'timestamp', column: 'ts', kind: 'timestamp', required: true },
  { name: 'model', column: 'model', kind: 'text', required: true },
  { name: 'provider', column: 'provider', kind: 'text' },
  { name: 'input_tokens', column: 'input_tokens', kind: 'count' },
  { name: 'output_tokens', column: 'output_tokens', kind: 'count' },
  { name: 'cache_read_tokens', column: 'cache_read_tokens', kind: 'count' },
  { name: 'cache_write_tokens', column: 'cache_write_tokens', kind: 'count' },
  { name: 'cache_write_1h_tokens', column: 'cache_write_1h_tokens', kind: 'count' },
  { name: 'requests', column: 'requests', kind: 'count' },
  { name: 'duration_seconds', column: 'duration_seconds', kind: 'decimal' },
  { name: 'bytes', column: 'bytes', kind: 'count' },
  { name: 'cost_type', column: 'cost_type', kind: 'cost-type' },
  { name: 'user_id', column: 'user_id', kind: 'text' },
  { name: 'department', column: 'department', kind: 'text' },
  { name: 'organization', column: 'organization', kind: 'text' },
  { name: 'project', column: 'project', kind: 'text' },
  { name: 'account_id', column: 'account_id', kind: 'text' },
  { name: 'session_id', column: 'session_id', kind: 'text' },
  { name: 'sop_instance_id', column: 'sop_instance_id', kind: 'text' },
  { name: 'request_type', column: 'request_type', kind: 'text' },
  { name: 'reported_cost', column: 'reported_cost', kind: 'signed-decimal' },
  { name: 'currency', column: 'currency', kind: 'currency' },
  { name: 'tags', column: 'tags', kind: 'tags' },
  // Usage log version 2 (migration 009): breakdowns of input/output tokens, per-call units, served variant.
  { name: 'reasoning_tokens', column: 'reasoning_tokens', kind: 'count' },
  { name: 'audio_input_tokens', column: 'audio_input_tokens', kind: 'count' },
  { name: 'image_input_tokens', column: 'image_input_tokens', kind: 'count' },
  { name: 'audio_output_tokens', column: 'audio_output_tokens', kind: 'count' },
  { name: 'image_output_tokens', column: 'image_output_tokens', kind: 'count' },
  { name: 'images', column: 'images', kind: 'count' },
  { name: 'web_search_calls', column: 'web_search_calls', kind: 'count' },
  { name: 'service_tier', column: 'service_tier', kind: 'text' },
  { name: 'speed', column: 'speed', kind: 'text' },
  { name: 'region', column: 'region', kind: 'text' },
];

/**
 * Breakdowns that are part of a total, never on top of it (usage-log v2): together they cannot exceed it.
 * A row where they do is rejected with its line and this reason.
 */
export const BREAKDOWNS: { total: string; parts: string[] }[] = [
  { total: 'input_tokens', parts: ['audio_input_tokens', 'image_input_tokens'] },
  { total: 'output_tokens', parts: ['reasoning_tokens', 'audio_output_tokens', 'image_output_tokens'] },
];

export const NATIVE_FIELD_NAMES = NATIVE_FIELDS.map((f) => f.name);

/** Columns of the usage table an ingest writes, in the order of STAGED_USAGE_COLUMNS minus `line`. */
export const USAGE_VALUE_COLUMNS = ['source', ...NATIVE_FIELDS.map((f) => f.column)];

/** The token counts of a usage row; a row's tokens, for quotas, reports and reconciliation, are their sum. */
export const TOKEN_COLUMNS = [
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
] as const;

/** SQL: a usage row's total tokens, over the columns of `alias` (or unqualified). */
export function totalTokensSql(alias?: string): string {
  return TOKEN_COLUMNS.map((c) => (alias ? `${alias}.${c}` : c)).join(' + ');
}

/** What pricing writes on a usage row (pricedSelectSql's output after the native fields). */
export const PRICED_COLUMNS = [
  'priced_model',
  'price_version',
  'unpriced',
  'input_cost',
  'output_cost',
  'cache_read_cost',
  'cache_write_cost',
  'base_cost',
  'total_cost',
  'price_rules',
  // The components pricing could not price (migration 015): NULL when every one had a price.
  'unpriced_parts',
] as const;
