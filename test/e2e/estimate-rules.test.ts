// `costctl estimate` on the bundled LiteLLM map, as a user runs it: the issue #15 rows it used to get
// wrong, with every rule that priced them printed. Figures are hand computations from the catalog entries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LITELLM_CATALOG, runCli } from '../helpers/cli.js';

// One catalog import for the file (a per-test temp path is removed after each test).
const dir = mkdtempSync(join(tmpdir(), 'costctl-estimate-rules-'));
const db = join(dir, 'catalog.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  const r = runCli(['models', 'import', LITELLM_CATALOG], { db });
  expect(r.code).toBe(0);
});

const estimate = (...args: string[]) => runCli(['estimate', ...args, '--at', '2026-03-01T00:00:00Z'], { db });

describe('estimate: provider rules', () => {
  it('Anthropic 1h cache write at 2 × input: 0.006 + 0.0075 + 0.06', () => {
    const r = estimate(
      '--model',
      'claude-sonnet-4-5',
      '--input-tokens',
      '2000',
      '--output-tokens',
      '500',
      '--cache-write-1h-tokens',
      '10000',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rules: cache write 1h = 2 × input (anthropic rule)');
    expect(r.stdout).toMatch(/total\s+│\s+\$0\.07350\s+│\s+0\.073500\s/);
  });

  it('batch on top of the >200k band: half of 250000 × 0.000004 + 1000 × 0.000018 (--json)', () => {
    const r = estimate(
      '--model',
      'gemini/gemini-3-pro-preview',
      '--input-tokens',
      '250000',
      '--output-tokens',
      '1000',
      '--request-type',
      'batch',
      '--json',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.total_cost).toBe('0.509000');
    expect(out.price_rules).toEqual(['band above 200000 prompt tokens', 'batch 50 % of the band (google rule)']);
    expect(out.batch_applied).toBe(true);
  });

  it('a bare name two providers have is refused with both named (exit 1)', () => {
    const r = estimate('--model', 'mistral-large-2402', '--input-tokens', '1');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(
      'costctl: model "mistral-large-2402" is offered by 2 providers in the price catalog: write one of azure/mistral-large-2402, mistral/mistral-large-2402',
    );
  });

  it('names ignore case: GPT-4o-mini is gpt-4o-mini', () => {
    const r = estimate('--model', 'GPT-4o-mini', '--input-tokens', '1000', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ model: 'gpt-4o-mini', total_cost: '0.000150' });
  });
});

describe('estimate: served variants', () => {
  it("fast mode prices with the catalog's fast/ entry: 1000 × 0.00003 + 100 × 0.00015", () => {
    const r = estimate(
      '--model',
      'claude-opus-4-6',
      '--speed',
      'fast',
      '--input-tokens',
      '1000',
      '--output-tokens',
      '100',
      '--json',
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ model: 'fast/claude-opus-4-6', total_cost: '0.045000' });
    expect(out.price_rules).toEqual(['fast mode: fast/claude-opus-4-6 prices']);
  });

  it("region us prices with the catalog's us/ entry: 1000 × 0.0000033 + 100 × 0.0000165", () => {
    const r = estimate(
      '--model',
      'claude-sonnet-4-6',
      '--region',
      'us',
      '--input-tokens',
      '1000',
      '--output-tokens',
      '100',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ model: 'us/claude-sonnet-4-6', total_cost: '0.004950' });
  });

  it('fast mode of a model the catalog has no fast price for is unpriced, never standard', () => {
    const r = estimate('--model', 'claude-sonnet-4-5', '--speed', 'fast', '--input-tokens', '1000', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ model: 'fast/claude-sonnet-4-5', unpriced: true, total_cost: null });
  });

  it('an unknown --speed is a usage error (exit 2) naming the choices', () => {
    const r = estimate('--model', 'claude-opus-4-6', '--speed', 'turbo', '--input-tokens', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "option '--speed <speed>' argument 'turbo' is invalid. Allowed choices are standard, fast.",
    );
  });
});
