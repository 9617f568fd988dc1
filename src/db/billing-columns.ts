// The columns of a billing line that describe the charge, in the order billing_lines and exports use them
// (001-core.ts defines the table). Ingest writes them after the line's key; exports put the key last.
export const BILLING_CHARGE_COLUMNS = [
  'charge_period_start',
  'charge_period_end',
  'provider',
  'service',
  'model',
  'sku',
  'charge_category',
  'quantity',
  'unit',
  'billed_cost',
  'list_cost',
  'currency',
  'invoice_id',
  'billing_account',
  'tags',
] as const;
