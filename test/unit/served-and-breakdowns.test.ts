// The two rules the CLI, ingest and the server share for usage-log v2 inputs: which served values are known
// (anything else is priced as standard with a warning) and when breakdowns exceed their total.
import { describe, expect, it } from 'vitest';
import { breakdownExcess } from '../../src/domain/request-units.js';
import { isUnknownServed, type ServedField } from '../../src/domain/served-values.js';
import { regionOfInferenceGeo } from '../../src/domain/model-names.js';

describe('isUnknownServed', () => {
  const cases: Array<[ServedField, string | null | undefined, boolean]> = [
    ['service_tier', 'flex', false],
    ['service_tier', ' Priority ', false], // trimmed, any case (as the SQL compares)
    ['service_tier', 'on_demand', false],
    ['service_tier', 'turbo', true],
    ['service_tier', '', false], // empty is no value
    ['service_tier', null, false],
    ['speed', 'FAST', false],
    ['speed', 'warp', true],
    ['region', 'us-gov', false],
    ['region', 'us-east-1', true],
    ['region', undefined, false],
  ];
  it.each(cases)('%s %j → unknown %s', (field, value, unknown) => {
    expect(isUnknownServed(field, value)).toBe(unknown);
  });
});

describe('breakdownExcess', () => {
  it.each([
    [{ outputTokens: 10n, reasoningTokens: 10n }, null],
    [
      { outputTokens: 10n, reasoningTokens: 6n, audioOutputTokens: 5n },
      ['outputTokens', 11n, ['audioOutputTokens', 'reasoningTokens']],
    ],
    [{ reasoningTokens: 1n }, ['outputTokens', 1n, ['reasoningTokens']]], // no total given: 0
    [
      { inputTokens: 100n, audioInputTokens: 60n, imageInputTokens: 50n },
      ['inputTokens', 110n, ['audioInputTokens', 'imageInputTokens']],
    ],
    [{ inputTokens: 100n, audioInputTokens: 100n, outputTokens: 0n, images: 5n, webSearchCalls: 3n }, null], // per-call units are no breakdowns
  ] as const)('%o → %o', (units, want) => {
    const over = breakdownExcess(units);
    expect(over === null ? null : [over.total, over.sum, [...over.given].sort()]).toEqual(want);
  });
});

describe('regionOfInferenceGeo (every Anthropic adapter reads inference_geo this way)', () => {
  it.each([
    ['us', 'us'],
    ['global', 'global'],
    ['not_available', null], // stated as no geography option: no region
    ['', null],
    [null, null],
    ['mars', 'mars'], // stored as given: ingest warns about it
  ] as const)('%j → %j', (geo, region) => {
    expect(regionOfInferenceGeo(geo)).toBe(region);
  });
});
