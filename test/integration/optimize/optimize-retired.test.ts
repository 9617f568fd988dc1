// The optimizer never proposes a move to a model its provider retires (LiteLLM's deprecation_date), or
// retires within 90 days: the cheapest candidate is skipped and the next one proposed. The retirement day
// comes from the catalog import, for new models and for models already in the catalog.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getModel } from '../../../src/services/prices/catalog.js';
import { importCatalog } from '../../../src/services/prices/import/apply.js';
import { generateSuggestions } from '../../../src/services/optimize/suggestions.js';
import { ROOT } from '../../helpers/cli.js';
import { addTokenModel } from '../../helpers/catalog.js';
import { withTempDb } from '../../helpers/db.js';
import { insertPricedUsage } from '../../helpers/seed.js';

const NOW = new Date('2026-03-08T00:00:00Z');
const window = { from: new Date('2026-03-01T00:00:00Z'), to: NOW, tz: 'UTC', now: NOW };

describe('retired models', () => {
  it('LiteLLM import stores the retirement day, also for a model already in the catalog', async () => {
    await withTempDb(async (db) => {
      const path = join(ROOT, 'fixtures', 'pricing', 'litellm-model-prices.json');
      const text = readFileSync(path, 'utf8');
      await importCatalog(db, path, 'litellm', text, { now: NOW, catalogDate: '2026-02-21' });
      expect((await getModel(db, 'claude-3-5-haiku-latest'))?.deprecation_date).toBe('2025-10-01');
      expect((await getModel(db, 'gpt-4o-mini'))?.deprecation_date).toBeNull();
      await db.run("UPDATE models SET deprecation_date = NULL WHERE name = 'claude-3-5-haiku-latest'");
      await importCatalog(db, path, 'litellm', text, { now: NOW, catalogDate: '2026-02-21' });
      expect((await getModel(db, 'claude-3-5-haiku-latest'))?.deprecation_date).toBe('2025-10-01');
    });
  });

  it('a cheaper model retired, or retiring within 90 days, is never the proposed move', async () => {
    await withTempDb(async (db) => {
      await addTokenModel(db, 'big', 'openai', { input: '10', output: '30' });
      await addTokenModel(db, 'old-cheap', 'openai', { input: '0.1', output: '0.2' });
      await addTokenModel(db, 'soon-cheap', 'openai', { input: '0.2', output: '0.3' });
      await addTokenModel(db, 'later-cheap', 'openai', { input: '0.5', output: '1' });
      await db.run(`UPDATE models SET deprecation_date = CASE name
        WHEN 'old-cheap' THEN DATE '2025-10-01' WHEN 'soon-cheap' THEN DATE '2026-05-01'
        WHEN 'later-cheap' THEN DATE '2026-12-31' END WHERE name LIKE '%-cheap'`);
      await insertPricedUsage(db, [
        {
          request_id: 'r1',
          ts: '2026-03-02 09:00:00',
          model: 'big',
          provider: 'openai',
          input_tokens: 100_000,
          output_tokens: 10_000,
        },
      ]);
      const moves = (await generateSuggestions(db, window)).filter((s) => s.type === 'model_substitution');
      expect(moves.map((s) => s.title)).toEqual(['Move big traffic to later-cheap']);
    });
  });
});
