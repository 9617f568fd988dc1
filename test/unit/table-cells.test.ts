// Table cells shared by the listing commands.
import { describe, expect, it } from 'vitest';
import { compactUtc } from '../../src/render/table.js';

describe('compactUtc', () => {
  it('drops the T, the Z and zero seconds; a midnight instant shows as its date', () => {
    expect(compactUtc('2026-03-02T14:30:00Z')).toBe('2026-03-02 14:30');
    expect(compactUtc('2026-03-02T00:00:00Z')).toBe('2026-03-02');
    expect(compactUtc('2026-03-02T14:30:15Z')).toBe('2026-03-02 14:30:15');
  });
});
