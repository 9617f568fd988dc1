// Optimization suggestions on a real DuckDB file. Every expected figure is worked out below from the
// seeded token counts and the prices per 1M tokens, independently of the SQL that computes it.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.js';
import { decideSuggestion, generateSuggestions, listSuggestions } from '../../../src/services/optimize/suggestions.js';
import { withTempDb } from '../../helpers/db.js';
import { addTokenModel } from '../../helpers/catalog.js';
import { insertPricedUsage } from '../../helpers/seed.js';

const window = {
  from: new Date('2026-03-01T00:00:00Z'),
  to: new Date('2026-03-08T00:00:00Z'),
  tz: 'UTC',
  now: new Date('2026-03-08T00:00:00Z'),
};

async function seed(db: Db) {
  await addTokenModel(db, 'gpt-big', 'openai', {
    input: '10',
    output: '30',
    cacheRead: '1',
    batchInput: '5',
    batchOutput: '15',
  });
  await addTokenModel(db, 'gpt-mid', 'openai', { input: '2', output: '8' });
  await addTokenModel(db, 'gpt-small', 'openai', { input: '0.5', output: '1.5' });
  await addTokenModel(db, 'text-embed', 'openai', { input: '0.01', output: '0' }, 'embedding'); // other mode: never a candidate
  await addTokenModel(db, 'claude-cheap', 'anthropic', { input: '0.1', output: '0.1' }); // other provider: never a candidate
  await insertPricedUsage(db, [
    // one chat session, 3 requests × (10,000 in, 1,000 out): 3 × (0.10 + 0.03) = $0.39 on gpt-big
    ...[1, 2, 3].map((i) => ({
      request_id: `s${i}`,
      ts: `2026-03-02 09:0${i}:00`,
      model: 'gpt-big',
      provider: 'openai',
      input_tokens: 10_000,
      output_tokens: 1_000,
      session_id: 'sess-1',
      request_type: 'chat',
    })),
    // one summary: 100,000 in × $10 + 10,000 out × $30 = 1.00 + 0.30 = $1.30
    {
      request_id: 'sum1',
      ts: '2026-03-03 10:00:00',
      model: 'gpt-big',
      provider: 'openai',
      input_tokens: 100_000,
      output_tokens: 10_000,
      request_type: 'summary',
    },
    // unpriced traffic, with what the source reported
    {
      request_id: 'm1',
      ts: '2026-03-03 11:00:00',
      model: 'mystery-9',
      input_tokens: 500,
      output_tokens: 50,
      reported_cost: '0.25',
    },
    {
      request_id: 'm2',
      ts: '2026-03-03 12:00:00',
      model: 'mystery-9',
      input_tokens: 500,
      output_tokens: 50,
      reported_cost: '0.25',
    },
  ]);
}

describe('generateSuggestions', () => {
  it('re-prices the real traffic and ranks the suggestions by savings', async () => {
    await withTempDb(async (db) => {
      await seed(db);
      const list = await generateSuggestions(db, window);
      expect(list.map((s) => [s.type, s.potential_savings])).toEqual([
        // gpt-big $1.69 → gpt-small: 3 × (0.005 + 0.0015) + (0.05 + 0.015) = 0.0845; saving 1.6055
        ['model_substitution', '1.6055'.padEnd(8, '0')],
        // summary at batch rates: 0.5 + 0.15 = 0.65 instead of 1.30
        ['batch', '0.650000'],
        // session prefix 10,000 tokens read from cache by requests 2 and 3: 2 × 10,000 × ($10 − $1)/1M = 0.18
        ['prompt_caching', '0.180000'],
        ['unpriced_models', '0.000000'],
      ]);
      const sub = list[0]!;
      expect(sub).toMatchObject({
        title: 'Move gpt-big traffic to gpt-small',
        current_cost: '1.690000',
        savings_percentage: '95.00',
        priority: 'high',
      });
      // gpt-mid was re-priced too: 3 × (0.02 + 0.008) + (0.2 + 0.08) = 0.364
      expect(sub.evidence.alternatives).toEqual([
        { model: 'gpt-mid', repriced_cost: '0.364' },
        { model: 'gpt-small', repriced_cost: '0.0845' },
      ]);
      expect(list.find((s) => s.type === 'unpriced_models')).toMatchObject({
        title: 'Add a price for mystery-9',
        current_cost: '0.500000',
      });
      expect(list.find((s) => s.type === 'prompt_caching')!.current_cost).toBe('0.390000');
    });
  });

  it('moves traffic one way only: between two models in use, from the dearer to the cheaper', async () => {
    await withTempDb(async (db) => {
      await seed(db);
      const row = (request_id: string, model: string) => ({
        request_id,
        ts: '2026-03-04 10:00:00',
        model,
        provider: 'openai',
        input_tokens: 10_000,
        output_tokens: 1_000,
      });
      await insertPricedUsage(db, [row('mid1', 'gpt-mid'), row('small1', 'gpt-small')], 'more');
      const moves = (await generateSuggestions(db, window))
        .filter((s) => s.type === 'model_substitution')
        .map((s) => s.title);
      expect(moves.sort()).toEqual(['Move gpt-big traffic to gpt-small', 'Move gpt-mid traffic to gpt-small']);
    });
  });

  it('keeps accept/dismiss across re-runs and leaves dismissed suggestions out', async () => {
    await withTempDb(async (db) => {
      await seed(db);
      const first = await generateSuggestions(db, window);
      const caching = first.find((s) => s.type === 'prompt_caching')!;
      const batch = first.find((s) => s.type === 'batch')!;
      await decideSuggestion(db, caching.id, 'dismissed', 'ops', window.now);
      await decideSuggestion(db, batch.id, 'accepted', 'ops', window.now);
      const again = await generateSuggestions(db, window);
      expect(again.map((s) => s.type)).toEqual(['model_substitution', 'batch', 'unpriced_models']);
      expect(again.find((s) => s.type === 'batch')).toMatchObject({ id: batch.id, status: 'accepted' });
      expect((await listSuggestions(db, { status: 'dismissed' })).map((s) => s.id)).toEqual([caching.id]);
      await expect(decideSuggestion(db, 999, 'accepted', 'ops', window.now)).rejects.toThrow(
        /suggestion 999 does not exist/,
      );
    });
  });

  it('suggests nothing for an empty window', async () => {
    await withTempDb(async (db) => {
      await seed(db);
      expect(
        await generateSuggestions(db, {
          ...window,
          from: new Date('2026-04-01T00:00:00Z'),
          to: new Date('2026-04-08T00:00:00Z'),
        }),
      ).toEqual([]);
    });
  });

  it('flags spend concentrated in three hours of the day', async () => {
    await withTempDb(async (db) => {
      await addTokenModel(db, 'gpt-mid', 'openai', { input: '2', output: '8' });
      // $2 per 1M input: hours 09, 10, 11 carry 1M tokens each ($2 each), hours 12–14 0.1M ($0.20 each).
      const rows = [9, 10, 11, 12, 13, 14].map((h) => ({
        request_id: `h${h}`,
        ts: `2026-03-02 ${h}:30:00`,
        model: 'gpt-mid',
        provider: 'openai',
        input_tokens: h <= 11 ? 1_000_000 : 100_000,
      }));
      await insertPricedUsage(db, rows);
      const [peak] = (await generateSuggestions(db, window)).filter((s) => s.type === 'peak_usage');
      // $6.00 of $6.60 in 09–11: 91%
      expect(peak).toMatchObject({
        current_cost: '6.000000',
        potential_savings: '0.000000',
        title: '91% of spend falls in three hours (09:00, 10:00, 11:00 UTC)',
      });
    });
  });
});
