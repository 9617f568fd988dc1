// `costctl estimate` and `costctl record` with the served-tier and component flags on the bundled LiteLLM map:
// issue #15's rows for tiers, modalities and per-call tools. Figures are hand computations from the entries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LITELLM_CATALOG, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'costctl-estimate-components-'));
const db = join(dir, 'catalog.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  const r = runCli(['models', 'import', LITELLM_CATALOG], { db });
  expect(r.code).toBe(0);
});

const AT = ['--at', '2026-03-01T00:00:00Z'];
const estimate = (...args: string[]) => runCli(['estimate', ...args, ...AT, '--json'], { db });

describe('estimate: tiers and components', () => {
  it('gpt-5 on flex and priority at the catalog tier rates; a tier without rates is unpriced', () => {
    const base = ['--model', 'gpt-5', '--input-tokens', '1000', '--output-tokens', '1000'];
    // 1000 × 0.000000625 + 1000 × 0.000005; 1000 × 0.0000025 + 1000 × 0.00002
    const flex = JSON.parse(estimate(...base, '--service-tier', 'flex').stdout);
    expect([flex.total_cost, flex.price_rules]).toEqual(['0.005625', ['service tier flex: flex prices']]);
    const priority = JSON.parse(estimate(...base, '--service-tier', 'priority').stdout);
    expect(priority.total_cost).toBe('0.022500');
    const r = runCli(
      ['estimate', '--model', 'claude-sonnet-4-5', '--input-tokens', '5', '--service-tier', 'flex', ...AT],
      {
        db,
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('claude-sonnet-4-5: unpriced (service tier flex: no flex price in the catalog');
  });

  it('audio at the audio rates; a part without a price is named, not priced as text', () => {
    // 600 × 0.0000025 + 400 × 0.00004 + 200 × 0.00001 + 300 × 0.00008
    const audio = JSON.parse(
      estimate(
        ...['--model', 'gpt-4o-audio-preview', '--input-tokens', '1000', '--audio-input-tokens', '400'],
        ...['--output-tokens', '500', '--audio-output-tokens', '300'],
      ).stdout,
    );
    expect([audio.input_cost, audio.output_cost, audio.total_cost]).toEqual(['0.017500', '0.026000', '0.043500']);
    const r = runCli(
      ['estimate', '--model', 'gpt-4o-mini', '--output-tokens', '200', '--audio-output-tokens', '100', ...AT],
      { db },
    );
    expect(r.stdout).toContain('partly unpriced: no price for audio output tokens (not in the total)');
  });

  it('an image model answering in text is priced per token; web searches per call', () => {
    // 100 × 0.0000003 + 30 × 0.0000025
    const image = JSON.parse(
      estimate('--model', 'gemini-2.5-flash-image', '--input-tokens', '100', '--output-tokens', '30').stdout,
    );
    expect([image.total_cost, image.unpriced_parts]).toEqual(['0.000105', []]);
    // 1000 × 0.000001 + 2 × $0.01 (Anthropic's rule: the haiku entry states no search price)
    const search = JSON.parse(
      estimate('--model', 'claude-haiku-4-5', '--input-tokens', '1000', '--web-search-calls', '2').stdout,
    );
    expect([search.base_cost, search.total_cost, search.price_rules]).toEqual([
      '0.020000',
      '0.021000',
      ['web search $0.01 per call (anthropic rule)'],
    ]);
  });

  it('a breakdown larger than its total is a usage error naming both flags (exit 2)', () => {
    const r = estimate('--model', 'o1', '--output-tokens', '10', '--reasoning-tokens', '11');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--reasoning-tokens + --audio-output-tokens + --image-output-tokens (11) exceed');
  });
});

describe('record: tiers and components', () => {
  it('stores the breakdowns and says what it could not price', () => {
    const rec = (...args: string[]) => runCli(['record', '--timestamp', '2026-03-01T00:00:00Z', ...args], { db });
    const r = rec('--model', 'gpt-4o-mini', '--input-tokens', '1000', '--web-search-calls', '1', '--json');
    expect(r.code).toBe(0);
    // 1000 × 0.00000015; the search has no price in the entry
    const out = JSON.parse(r.stdout);
    expect([out.total_cost, out.unpriced_parts]).toEqual(['0.000150000000000000', ['web search calls']]);
    const t = rec('--model', 'gpt-5', '--input-tokens', '1000', '--service-tier', 'priority');
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/recorded \S+: gpt-5, \$0\.00250$/m);
  });
});
