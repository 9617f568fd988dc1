// Pieces of the request schemas the catalog, quota, analytics and optimization routes share (the cost
// calls' own are in schemas.ts). Money and fractions are decimal strings, never JSON numbers.
export const decimalText = {
  type: 'string',
  pattern: '^[0-9]{1,20}(\\.[0-9]{1,18})?$',
  description: 'a non-negative decimal as a string, e.g. "0.0125"',
} as const;

export const nameText = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const instantText = {
  type: 'string',
  minLength: 1,
  maxLength: 40,
  description: 'ISO 8601 (2026-03-02T09:15:03Z) or epoch seconds',
} as const;

export const countText = {
  description: 'a non-negative whole number (or its digits as a string)',
  anyOf: [
    { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    { type: 'string', pattern: '^[0-9]{1,18}$' },
  ],
} as const;

/** `/models/:name`, `/quotas/:name`: the name as the CLI takes it. */
export const nameParams = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: nameText },
} as const;

/** `/optimizations/:id`. */
export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$', description: 'a suggestion id' } },
} as const;
