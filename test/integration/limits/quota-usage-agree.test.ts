// The two ways of summing quota usage (usageInWindows for status/alerts, usageForRequest for check) and a
// plain in-memory reference written from the rules alone must agree on every window, over generated rows
// with directory attribution, unpriced rows, model filters and several window starts.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { usageForRequest } from '../../../src/services/limits/check.js';
import { usageInWindows, type UsageWindow } from '../../../src/services/limits/status.js';
import type { Scope } from '../../../src/services/limits/quotas.js';
import { withTempDb } from '../../helpers/db.js';
import { insertUsage, type UsageRow, lcg, TEST_DIRECTORY } from './quota-helpers.js';

const DIRECTORY = TEST_DIRECTORY;

describe('usage sums agree', () => {
  it('usageInWindows = usageForRequest = in-memory reference', async () => {
    const rand = lcg(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    const base = Date.parse('2026-03-01T00:00:00Z');
    const rows: UsageRow[] = Array.from({ length: 300 }, (_, i) => ({
      id: `g${i}`,
      ts: new Date(base + Math.floor(rand() * 10 * 86_400_000)).toISOString(),
      user: pick(['u1', 'u2', 'u3', 'u4', null]),
      department: pick([null, null, 'sales', 'ops']),
      project: pick([null, null, 'apollo', 'zeus']),
      account: pick([null, 'wx-1', 'wx-2']),
      model: pick(['m-a', 'm-b']),
      cost: rand() < 0.1 ? null : (Math.floor(rand() * 1e6) / 1e4).toFixed(4),
      input: Math.floor(rand() * 5000),
      output: Math.floor(rand() * 500),
    }));
    const at = new Date('2026-03-09T12:00:00Z');
    const scopes: Scope[] = [
      { type: 'user', value: 'u1' },
      { type: 'department', value: 'sales' },
      { type: 'project', value: 'apollo' },
      { type: 'account', value: 'wx-1' },
      { type: 'global', value: null },
    ];
    const starts = ['2026-03-01T00:00:00Z', '2026-03-09T00:00:00Z', '2026-03-09T11:00:00Z', '2026-03-04T07:30:00Z'].map(
      (s) => new Date(s),
    );
    const windows: UsageWindow[] = [];
    for (const scope of scopes)
      for (const start of starts)
        for (const model of [null, 'm-b']) {
          windows.push({ key: `${scope.type}:${scope.value}:${start.toISOString()}:${model}`, scope, model, start });
        }

    // Reference: the attribution rule written out directly.
    const attr = (r: UsageRow, c: 'department' | 'project') =>
      r[c] ?? (r.user ? (DIRECTORY[r.user]?.[c] ?? null) : null);
    const inScope = (r: UsageRow, s: Scope) =>
      s.type === 'global' ||
      (s.type === 'user' && r.user === s.value) ||
      (s.type === 'account' && r.account === s.value) ||
      ((s.type === 'department' || s.type === 'project') && attr(r, s.type) === s.value);
    const expected = new Map<string, { cost: string; tokens: string; rows: number; unpriced: number }>();
    for (const w of windows) {
      const hit = rows.filter(
        (r) =>
          Date.parse(r.ts) >= w.start.getTime() &&
          Date.parse(r.ts) <= at.getTime() &&
          inScope(r, w.scope) &&
          (w.model === null || r.model === w.model),
      );
      if (hit.length === 0) continue;
      expected.set(w.key, {
        cost: hit.reduce((s, r) => (r.cost === null ? s : s.plus(r.cost)), new Decimal(0)).toFixed(),
        tokens: String(hit.reduce((s, r) => s + (r.input ?? 0) + (r.output ?? 0), 0)),
        rows: hit.length,
        unpriced: hit.filter((r) => r.cost === null).length,
      });
    }

    await withTempDb(async (db) => {
      for (const [user, d] of Object.entries(DIRECTORY)) {
        await db.run('INSERT INTO directory VALUES (?, ?, NULL, ?, NULL, now()::TIMESTAMP)', [
          user,
          d.department,
          d.project,
        ]);
      }
      await insertUsage(db, rows);
      const flat = (m: Map<string, { cost: Decimal; tokens: Decimal; rows: number; unpricedRows: number }>) =>
        new Map(
          [...m].map(([k, v]) => [
            k,
            { cost: v.cost.toFixed(), tokens: v.tokens.toFixed(), rows: v.rows, unpriced: v.unpricedRows },
          ]),
        );
      const viaJoin = flat(await usageInWindows(db, windows, at));
      const viaScan = flat(await usageForRequest(db, windows, at));
      expect(expected.size).toBeGreaterThan(30);
      expect(viaJoin).toEqual(expected);
      expect(viaScan).toEqual(expected);
    });
  });
});
