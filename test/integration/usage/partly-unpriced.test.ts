// A row whose components are not all priced: ingested with the parts named (unpriced_parts), counted as
// partly unpriced by records and `models unpriced`, never as fully priced; a price added later and
// `reprice` cost them. Hand-written usage-log v2 rows over a hand-stated catalog.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyPriceList } from '../../../src/domain/catalog-types.js';
import { Decimal } from '../../../src/domain/money.js';
import { addModel, insertPriceVersion } from '../../../src/services/prices/catalog-write.js';
import { unpricedUsage } from '../../../src/services/prices/unpriced.js';
import { listRecords } from '../../../src/services/usage/records.js';
import { evaluateAlerts } from '../../../src/services/alerts/evaluate.js';
import { repriceUsage } from '../../../src/services/usage/reprice.js';
import { withTempDb } from '../../helpers/db.js';
import { tempDir } from '../../helpers/temp.js';
import { NOW, ingest } from '../ingest/ingest-helpers.js';

const D = (s: string) => new Decimal(s);
const MODEL = {
  name: 'voice-1',
  provider: 'openai',
  modelType: 'chat',
  costType: 'ai_api',
  currency: 'USD',
  aliases: [],
};
const price = (p: Partial<Record<string, string>>, effectiveFrom: Date) => {
  const prices = emptyPriceList();
  for (const [k, v] of Object.entries(p)) (prices as any)[k] = D(v!);
  return { billingUnit: 'token' as const, unitSize: D('1000000'), prices, effectiveFrom };
};

describe('partly unpriced rows', () => {
  it('are stored with the parts named, listed, kept out of "fully priced", and priced by reprice', async () => {
    await withTempDb(async (db) => {
      // $2.5 / $10 per 1M text tokens; audio input $40 per 1M; no audio output price, no web search price.
      await addModel(db, MODEL as any, price({ input: '2.5', output: '10', audioInput: '40' }, new Date(0)), NOW);
      const path = join(tempDir(), 'voice.jsonl');
      const row = (id: string, extra: Record<string, number | string>) =>
        JSON.stringify({ request_id: id, timestamp: '2026-03-02T09:00:00Z', model: 'voice-1', ...extra });
      writeFileSync(
        path,
        [
          row('a', { input_tokens: 1000, audio_input_tokens: 400, output_tokens: 100 }),
          row('b', { input_tokens: 1000, output_tokens: 500, audio_output_tokens: 300, web_search_calls: 2 }),
          row('c', { input_tokens: 10, service_tier: 'flex' }),
        ].join('\n'),
      );
      await ingest(db, [path]);
      const stored = await db.all<Record<string, string | boolean | null>>(
        `SELECT request_id, total_cost::VARCHAR AS c, unpriced, unpriced_parts, price_rules FROM usage ORDER BY request_id`,
      );
      // a: 600 × 0.0000025 + 400 × 0.00004 + 100 × 0.00001 = 0.0015 + 0.016 + 0.001
      // b: 1000 × 0.0000025 + 200 × 0.00001 (the 300 audio tokens and 2 searches have no price)
      expect(stored).toEqual([
        { request_id: 'a', c: '0.018500000000000000', unpriced: false, unpriced_parts: null, price_rules: null },
        {
          request_id: 'b',
          c: '0.004500000000000000',
          unpriced: false,
          unpriced_parts: 'audio output tokens, web search calls',
          price_rules: null,
        },
        {
          request_id: 'c',
          c: null,
          unpriced: true,
          unpriced_parts: null,
          price_rules: 'service tier flex: no flex price in the catalog',
        },
      ]);
      const list = await listRecords(db, { filters: {} });
      expect([list.unpriced_rows, list.partly_unpriced_rows, list.total_cost]).toEqual([1, 1, '0.023000000000000000']);
      expect((await unpricedUsage(db)).map((u) => [u.model, u.unpriced_parts, u.rows])).toEqual([
        ['voice-1', null, 1],
        ['voice-1', 'audio output tokens, web search calls', 1],
      ]);
      const alerts = await evaluateAlerts(db, { at: NOW, tz: 'UTC', now: NOW, actor: 'test' });
      expect(alerts.raised.filter((a) => a.type === 'unpriced_usage').map((a) => a.title)).toEqual([
        '1 usage row(s) of voice-1 have no price, 1 are partly unpriced',
      ]);

      // The missing prices arrive: audio output $80 per 1M, web search $0.035 per call, flex $1.25 / $5.
      const all = { input: '2.5', output: '10', audioInput: '40', audioOutput: '80', webSearch: '0.035' };
      await insertPriceVersion(
        db,
        'voice-1',
        price({ ...all, flexInput: '1.25', flexOutput: '5' }, new Date('2026-03-01T00:00:00Z')),
        NOW,
      );
      const dry = await repriceUsage(db, { dryRun: true });
      expect([dry.rows_changed, dry.newly_priced]).toEqual([3, 1]);
      const done = await repriceUsage(db, {});
      // b gains 300 × 0.00008 + 2 × 0.035 = 0.024 + 0.07; c is priced: 10 × 0.00000125
      expect(done.delta).toBe('0.094012500000000000');
      expect(await unpricedUsage(db)).toEqual([]);
      const after = await listRecords(db, { filters: {} });
      expect([after.unpriced_rows, after.partly_unpriced_rows]).toEqual([0, 0]);
    });
  });
});
