// Which days a reconciliation covers, for the command and the job alike (src/services/reconcile/run.ts).
import { describe, expect, it } from 'vitest';
import { reconcilePeriod } from '../../src/services/reconcile/run.js';

const NOW = new Date('2026-03-02T09:00:00Z');

describe('reconcilePeriod', () => {
  it.each([
    [{}, 'UTC', ['2026-03-01', '2026-03-01']],
    [{ date: '2026-02-10' }, 'UTC', ['2026-02-10', '2026-02-10']],
    [{ since: '2026-02-20' }, 'UTC', ['2026-02-20', '2026-03-01']],
    [{ since: '2026-02-20', until: '2026-02-22' }, 'UTC', ['2026-02-20', '2026-02-22']],
    [{ since: '2024-02-29', until: '2024-02-29' }, 'UTC', ['2024-02-29', '2024-02-29']],
  ])('%j in %s covers %j', (flags, tz, [since, until]) => {
    expect(reconcilePeriod(flags, NOW, tz)).toEqual({ since, until });
  });

  it("yesterday is the reporting zone's: 11:00 UTC is already 01:00 next day in Kiritimati (UTC+14)", () => {
    const at = new Date('2026-03-02T11:00:00Z');
    expect(reconcilePeriod({}, at, 'Pacific/Kiritimati')).toEqual({ since: '2026-03-02', until: '2026-03-02' });
    expect(reconcilePeriod({}, at, 'UTC')).toEqual({ since: '2026-03-01', until: '2026-03-01' });
  });

  it.each([
    [{ date: '2026-02-30' }, '--date: "2026-02-30" must be a calendar day'],
    [{ since: '2026-2-1' }, '--since: "2026-2-1" must be a calendar day'],
    [{ until: '2026-13-01', since: '2026-01-01' }, '--until: "2026-13-01" must be a calendar day'],
    [{ date: '2026-02-10', since: '2026-02-01' }, 'give either --date or --since/--until, not both'],
    [{ until: '2026-02-10' }, '--until needs --since'],
    [{ since: '2026-02-10', until: '2026-02-01' }, '--since 2026-02-10 is after --until 2026-02-01'],
  ])('%j is refused: %s', (flags, message) => {
    expect(() => reconcilePeriod(flags, NOW, 'UTC')).toThrow(message);
  });
});
