// `costctl init` without a terminal: flags with --yes, clear refusals otherwise.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LITELLM_CATALOG, ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

describe('init', () => {
  it('with --yes writes a 0600 config file and a database holding the bundled catalog', () => {
    const dir = tempDir();
    const config = join(dir, 'cfg', 'config.json');
    const db = join(dir, 'costs.duckdb');
    const r = runCli([
      '--config',
      config,
      '--db',
      db,
      '--tz',
      'Asia/Shanghai',
      'init',
      '--yes',
      '--outbox-dir',
      join(dir, 'mail'),
    ]);
    expect(r.stderr).toContain(`wrote ${config}`);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({
      db,
      tz: 'Asia/Shanghai',
      currency: 'USD',
      outbox_dir: join(dir, 'mail'),
    });
    expect(statSync(config).mode & 0o777).toBe(0o600);
    // The bundled catalog: every LiteLLM entry that has a price costctl can use.
    const bundled = JSON.parse(readFileSync(LITELLM_CATALOG, 'utf8'));
    const models = JSON.parse(
      runCli(['--config', config, 'models', 'list', '--provider', 'anthropic', '--json'], {
        env: { COSTCTL_DB: undefined },
      }).stdout,
    );
    const anthropicInFile = Object.entries(bundled).filter(
      ([k, v]: [string, any]) =>
        k !== 'sample_spec' && v.litellm_provider === 'anthropic' && v.input_cost_per_token !== undefined,
    );
    // genai-prices' newer catalog fills the gaps: Anthropic models LiteLLM's February copy lacks.
    const genai = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'pricing', 'genai-prices-data.json'), 'utf8'));
    const anthropicInGenai = genai.find((p: any) => p.id === 'anthropic').models.map((m: any) => m.id as string);
    const names = new Set([...anthropicInFile.map(([k]) => k), ...anthropicInGenai]);
    expect(models.map((m: any) => m.name).sort()).toEqual([...names].sort());
    const byName = new Map<string, any>(models.map((m: any) => [m.name, m]));
    expect(byName.get('claude-opus-4-8').current).toMatchObject({ source: 'genai-prices', catalog_date: '2026-08-21' });
    // LiteLLM's price stands where both catalogs price a model; genai-prices adds the dated change of 2026-03-13.
    const sonnet = JSON.parse(
      runCli(['--config', config, 'models', 'show', 'claude-sonnet-4-6', '--json'], { env: { COSTCTL_DB: undefined } })
        .stdout,
    );
    expect(sonnet.versions.map((v: any) => [v.effective_from, v.source, v.catalog_date])).toEqual([
      ['1970-01-01T00:00:00.000Z', 'litellm', '2026-02-21'],
      ['2026-03-13T00:00:00.000Z', 'genai-prices', '2026-08-21'],
    ]);
  });

  it('--no-import-catalog leaves the catalog empty', () => {
    const dir = tempDir();
    const config = join(dir, 'config.json');
    // The same database both times (runCli makes a new COSTCTL_DB per call otherwise).
    const db = join(dir, 'costs.duckdb');
    expect(runCli(['--config', config, 'init', '--yes', '--no-import-catalog'], { db }).code).toBe(0);
    expect(JSON.parse(runCli(['--config', config, 'models', 'list', '--json'], { db }).stdout)).toEqual([]);
  });

  it.each([
    [['init'], /no terminal to ask on: pass --yes/],
    [['init', '--yes', '--smtp-url', 'ftp://mail'], /--smtp-url: must start with smtp:\/\/ or smtps:\/\//],
    [['init', '--yes', '--currency', 'dollars'], /--currency: must be a 3-letter/],
    [['init', '--yes', '--smtp-url', 'smtp://x', '--outbox-dir', 'o'], /--smtp-url or --outbox-dir, not both/],
  ])('%j → exit 2, nothing written', (args, message) => {
    const config = join(tempDir(), 'config.json');
    const r = runCli(['--config', config, ...(args as string[])]);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.code).toBe(2);
    expect(() => statSync(config)).toThrow();
  });

  it('refuses to replace an existing config file unless --force', () => {
    const config = join(tempDir(), 'config.json');
    writeFileSync(config, '{"tz": "UTC"}');
    const r = runCli(['--config', config, 'init', '--yes', '--no-import-catalog']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exists (pass --force');
    expect(readFileSync(config, 'utf8')).toBe('{"tz": "UTC"}');
    expect(
      runCli(['--config', config, '--tz', 'Asia/Shanghai', 'init', '--yes', '--no-import-catalog', '--force']).code,
    ).toBe(0);
    expect(JSON.parse(readFileSync(config, 'utf8')).tz).toBe('Asia/Shanghai');
  });
});
