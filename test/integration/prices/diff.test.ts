// `models diff` on the bundled catalogs for models usage rows name: the known disagreements (Haiku 3.5's
// 1-hour cache write, DeepSeek, gemini-3.6-flash, the Claude long-context tier) and none where prices agree.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/domain/money.js';
import { bundledDiffCatalogs, diffCatalogs, modelsInUse } from '../../../src/services/prices/diff.js';
import { recordUsage } from '../../../src/services/usage/record-request.js';
import { withTempDb } from '../../helpers/db.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const catalogs = bundledDiffCatalogs();
const AGREEING = ['gpt-4o-2024-08-06', 'gpt-5-2025-08-07', 'gpt-5-mini-2025-08-07', 'claude-haiku-4-5-20251001'];
const IN_USE = ['claude-3-5-haiku-20241022', 'deepseek-chat', 'gemini-3.6-flash', 'claude-sonnet-4-6', ...AGREEING];
/** A per-token (LiteLLM, Langfuse) or per-million (genai-prices) figure from the files, per 1K tokens by hand. */
const perTokenK = (t: string) => new Decimal(t).times(1000).toFixed();
const perMillionK = (t: string) => new Decimal(t).div(1000).toFixed();

describe('models diff', () => {
  it('lists the known disagreements among the models in use, and nothing for those that agree', async () => {
    const names = await withTempDb(async (db) => {
      for (const model of IN_USE) await recordUsage(db, { timestamp: NOW, model, inputTokens: 10n }, NOW);
      return modelsInUse(db);
    });
    expect(names).toEqual([...IN_USE].sort());
    const rows = diffCatalogs(catalogs, names, { threshold: new Decimal('0.05'), at: NOW });
    const table = rows.map((r) => [
      r.model,
      r.component,
      ...r.values.map((v) => v.value?.toFixed() ?? null),
      r.ratio?.toFixed() ?? null,
    ]);
    expect(table).toEqual([
      // LiteLLM's $6/MTok against Langfuse's $1.60 (2 × the $0.80 input); genai-prices states no 1-hour write.
      ['claude-3-5-haiku-20241022', 'cacheWrite1h', perTokenK('6e-06'), null, perTokenK('1.6e-06'), '3.75'],
      // The premium above 200k: LiteLLM's February copy still has it; the others dropped it on 2026-03-13.
      ['claude-sonnet-4-6', 'longContextTier', '200000', null, null, null],
      // genai-prices keeps DeepSeek's 2025-07 prices ($1.10 output, $0.07 cache hits); LiteLLM has $0.42 and $0.028.
      ['deepseek-chat', 'output', perTokenK('4.2e-07'), perMillionK('1.1'), null, '2.619'],
      ['deepseek-chat', 'cacheRead', perTokenK('2.8e-08'), perMillionK('0.07'), null, '2.5'],
      // genai-prices and Langfuse 2 × apart on every gemini-3.6-flash price.
      ['gemini-3.6-flash', 'input', null, perMillionK('1.5'), perTokenK('7.5e-07'), '2'],
      ['gemini-3.6-flash', 'output', null, perMillionK('7.5'), perTokenK('3.75e-06'), '2'],
      ['gemini-3.6-flash', 'cacheRead', null, perMillionK('0.15'), perTokenK('7.5e-08'), '2'],
    ]);
    // Which entry each catalog matched: genai-prices by its own rule, Langfuse by its pattern.
    expect(rows[0]!.values.map((v) => v.entry)).toEqual([
      'claude-3-5-haiku-20241022',
      'claude-3-5-haiku-latest',
      'claude-3-5-haiku-20241022',
    ]);
  });

  it('compares only at the threshold asked for', () => {
    const rows = diffCatalogs(catalogs, ['deepseek-reasoner'], { threshold: new Decimal('0.99'), at: NOW });
    // Input is 1.96 × apart (under the threshold); output and cache reads 5.2 × and 5 ×.
    expect(rows.map((r) => r.component)).toEqual(['output', 'cacheRead']);
  });

  it('before 2026-03-13 the Claude 4.6 premium is in every catalog that prices it', () => {
    const rows = diffCatalogs(catalogs, ['claude-sonnet-4-6'], {
      threshold: new Decimal('0.05'),
      at: new Date('2026-03-01'),
    });
    expect(rows.map((r) => [r.component, ...r.values.map((v) => v.value?.toFixed() ?? null)])).toEqual([
      ['longContextTier', '200000', '200000', null],
    ]);
  });
});
