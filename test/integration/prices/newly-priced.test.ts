// After an import that prices models usage rows were loaded without a price for: the report names them
// and their rows, and the rows stay as stored (unpriced, no cost) until the operator runs `costctl reprice`.
import { describe, expect, it } from 'vitest';
import { importCatalog } from '../../../src/services/prices/import/apply.js';
import { recordUsage } from '../../../src/services/usage/record-request.js';
import { renderImportReport } from '../../../src/render/catalog-import.js';
import { withTempDb } from '../../helpers/db.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const catalog = JSON.stringify([
  { id: 'anthropic', models: [{ id: 'claude-opus-4-8', match: {}, prices: { input_mtok: 5, output_mtok: 25 } }] },
]);

describe('newly priced usage', () => {
  it('is reported with a reprice suggestion, never re-costed silently', async () => {
    await withTempDb(async (db) => {
      for (const model of ['claude-opus-4-8', 'anthropic/claude-opus-4-8', 'claude-opus-4-8', 'mystery-model']) {
        const r = await recordUsage(db, { timestamp: NOW, model, inputTokens: 1000n }, NOW);
        expect(r.unpriced).toBe(true);
      }
      const report = await importCatalog(db, 'genai.json', 'genai-prices', catalog, { now: NOW });
      expect(report.newlyPriced).toEqual([
        { model: 'claude-opus-4-8', pricedBy: 'claude-opus-4-8', rows: 2 },
        { model: 'anthropic/claude-opus-4-8', pricedBy: 'claude-opus-4-8', rows: 1 },
      ]);
      expect(renderImportReport('genai.json', report)).toContain(
        '3 stored usage row(s) were loaded unpriced and can now be priced: claude-opus-4-8, anthropic/claude-opus-4-8 (as claude-opus-4-8)\ntheir stored costs are unchanged; run `costctl reprice` to cost them',
      );
      const stored = await db.all<{ unpriced: boolean; total_cost: string | null }>(
        'SELECT unpriced, total_cost::VARCHAR AS total_cost FROM usage',
      );
      expect(stored.every((r) => r.unpriced && r.total_cost === null)).toBe(true);
      // Nothing new to price on a second import: no suggestion.
      expect((await importCatalog(db, 'genai.json', 'genai-prices', catalog, { now: NOW })).newlyPriced).toEqual([]);
    });
  });
});
