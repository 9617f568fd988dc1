// Table cells shared by the listing commands.
import { describe, expect, it } from 'vitest';
import { compactUtc } from '../../src/render/table.js';
import { localCell } from '../../src/render/local-time.js';

describe('compactUtc', () => {
  it('drops the T, the Z and zero seconds; a midnight instant shows as its date', () => {
    expect(compactUtc('2026-03-02T14:30:00Z')).toBe('2026-03-02 14:30');
    expect(compactUtc('2026-03-02T00:00:00Z')).toBe('2026-03-02');
    expect(compactUtc('2026-03-02T14:30:15Z')).toBe('2026-03-02 14:30:15');
  });
});

describe('localCell', () => {
  it.each([
    ['2026-03-02T13:30:00.000000Z', 'Europe/Berlin', '2026-03-02 14:30'],
    ['2025-12-31T23:00:00Z', 'Europe/Berlin', '2026-01-01'],
    ['2026-03-02T13:30:05.000Z', 'UTC', '2026-03-02 13:30:05'],
    ['2026-03-01T16:00:00Z', 'Asia/Shanghai', '2026-03-02'],
    [null, 'UTC', ''],
  ])('%s in %s → %s', (iso, tz, expected) => {
    expect(localCell(iso, tz)).toBe(expected);
  });
});
