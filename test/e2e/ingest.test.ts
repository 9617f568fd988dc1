// `costctl ingest` and friends as a user runs them: exit codes, stdout JSON only, one-line errors,
// stdin, --strict, --rejects, and a SIGKILL mid-file that leaves the database as before that file.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { BIN, LITELLM_CATALOG, ROOT, cliEnv, runCli } from '../helpers/cli.js';
import { tempDbPath, tempDir } from '../helpers/temp.js';
// @ts-expect-error plain ESM helper without types
import { generate } from '../bench/generate.mjs';

const USAGE_JSONL = join(ROOT, 'fixtures', 'usage', 'usage.jsonl');
const BROKEN = join(ROOT, 'fixtures', 'broken', 'usage-broken.jsonl');

function withCatalog(): string {
  const db = tempDbPath();
  const r = runCli(['models', 'import', LITELLM_CATALOG], { db });
  expect(r.code).toBe(0);
  return db;
}

describe('costctl ingest (e2e)', () => {
  it('--json prints exactly the summary object; a second run reports duplicates', () => {
    const db = withCatalog();
    const r = runCli(['ingest', USAGE_JSONL, '--json'], { db });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['files', 'unpriced_models', 'total_cost', 'warnings']);
    expect(out.warnings).toEqual([]);
    expect(Object.keys(out.files[0])).toEqual([
      'path',
      'format',
      'kind',
      'rows_read',
      'rows_loaded',
      'rows_duplicate',
      'rows_rejected',
      'total_cost',
    ]);
    expect(out.files[0]).toMatchObject({
      format: 'usage',
      kind: 'usage',
      rows_read: 8,
      rows_loaded: 8,
      rows_duplicate: 0,
      rows_rejected: 0,
    });
    expect(new Decimal(out.total_cost).eq('0.066216')).toBe(true);
    expect(typeof out.total_cost).toBe('string');
    expect(out.unpriced_models).toEqual([{ model: 'acme-sales-llm-v1', rows: 1 }]);
    expect(r.stderr).toMatch(/unpriced .*acme-sales-llm-v1 \(1 row\)/);
    const again = JSON.parse(runCli(['ingest', USAGE_JSONL, '--json'], { db }).stdout);
    expect(again.files[0]).toMatchObject({ rows_loaded: 0, rows_duplicate: 8 });
    const records = JSON.parse(runCli(['records', 'list', '--json'], { db }).stdout);
    expect(records).toHaveLength(8);
  });

  it('reads stdin with --format; refuses stdin without it (exit 2)', () => {
    const db = withCatalog();
    const input = readFileSync(USAGE_JSONL, 'utf8');
    const r = runCli(['ingest', '-', '--format', 'usage', '--json'], { db, input });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ path: '-', rows_loaded: 8 });
    const bad = runCli(['ingest', '-'], { db, input });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/needs --format/);
  });

  it('bad flags and paths: one clear line, right exit code, nothing stored', () => {
    const db = withCatalog();
    const fmt = runCli(['ingest', USAGE_JSONL, '--format', 'nope'], { db });
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toMatch(/--format.*nope/);
    const src = runCli(['ingest', USAGE_JSONL, '--source', 'bad name!'], { db });
    expect([src.code, src.stderr]).toEqual([2, expect.stringMatching(/--source: "bad name!" must be/)]);
    const missing = runCli(['ingest', '/nonexistent/usage.jsonl'], { db });
    expect([missing.code, missing.stderr.trim()]).toEqual([
      1,
      expect.stringMatching(/^costctl: \/nonexistent\/usage\.jsonl: cannot be read \(ENOENT\)/),
    ]);
    const rejDir = runCli(['ingest', USAGE_JSONL, '--rejects', '/nonexistent/dir/r.csv'], { db });
    expect([rejDir.code, rejDir.stderr]).toEqual([
      2,
      expect.stringMatching(/--rejects: folder \/nonexistent\/dir does not exist/),
    ]);
    const text = join(tempDir(), 'notes.txt');
    writeFileSync(text, 'hello\n');
    const unknown = runCli(['ingest', text], { db });
    expect([unknown.code, unknown.stderr]).toEqual([
      1,
      expect.stringMatching(/notes\.txt: not a format costctl reads/),
    ]);
    const broken = join(tempDir(), 'broken.json');
    writeFileSync(broken, '[{"timestamp":"2026-03-02T00:00:00Z","model":"gpt-4o"},\n{broken');
    const doc = runCli(['ingest', broken], { db });
    expect([doc.code, doc.stderr]).toEqual([
      1,
      expect.stringMatching(/broken\.json: cannot be read as usage: .*Malformed JSON/),
    ]);
    expect(runCli(['records', 'list', '--json'], { db }).stdout.trim()).toBe('[]');
  });

  it('--strict fails the file (exit 1) naming file:line; --rejects writes the rejects as CSV; rejects list', () => {
    const db = withCatalog();
    const out = join(tempDir(), 'rejects.csv');
    const strict = runCli(['ingest', BROKEN, '--strict', '--rejects', out], { db });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/usage-broken\.jsonl: --strict: 8 row\(s\) rejected/);
    expect(strict.stderr).toMatch(/usage-broken\.jsonl:2: broken JSON/);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('file,line,reason,raw');
    expect(JSON.parse(runCli(['records', 'list', '--json'], { db }).stdout)).toEqual([]);
    expect(JSON.parse(runCli(['rejects', 'list', '--json'], { db }).stdout)).toEqual([]);

    const loose = runCli(['ingest', BROKEN, '--rejects', out], { db });
    expect(loose.code).toBe(0);
    expect(loose.stderr).toMatch(/usage-broken\.jsonl:5: output_tokens "-3" must be a whole number/);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv).toHaveLength(9);
    const listed = JSON.parse(runCli(['rejects', 'list', '--json'], { db }).stdout);
    expect(listed.map((x: { line: string }) => Number(x.line))).toEqual([2, 3, 4, 5, 6, 7, 8, 11]);
  });

  it('models unpriced and reprice as commands', () => {
    const db = withCatalog();
    runCli(['ingest', USAGE_JSONL], { db });
    expect(JSON.parse(runCli(['models', 'unpriced', '--json'], { db }).stdout)).toMatchObject([
      { model: 'acme-sales-llm-v1', rows: 1 },
    ]);
    expect(
      runCli(
        ['models', 'add', 'acme-sales-llm-v1', '--provider', 'acme', '--input-price', '1', '--output-price', '2'],
        { db },
      ).code,
    ).toBe(0);
    const r = runCli(['reprice', '--json'], { db });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect([j.rows_changed, j.newly_priced, new Decimal(j.delta).eq('1.2')]).toEqual([1, 1, true]);
    // `yesterday` is a date like in --window (#18 item 10); free text is not.
    expect(runCli(['reprice', '--since', 'yesterday'], { db }).code).toBe(0);
    expect(runCli(['reprice', '--since', 'last week'], { db }).code).toBe(2);
    expect(JSON.parse(runCli(['models', 'unpriced', '--json'], { db }).stdout)).toEqual([]);
  });

  it('records export: spreadsheet-safe CSV, masked ids; bad --out is exit 2', () => {
    const db = withCatalog();
    const dir = tempDir();
    const evil = join(dir, 'evil.jsonl');
    writeFileSync(
      evil,
      '{"request_id":"e-1","timestamp":"2026-03-02T00:00:00Z","model":"gpt-4o-mini","user_id":"=HYPERLINK(\\"x\\")","input_tokens":10}\n',
    );
    runCli(['ingest', evil], { db });
    const out = join(dir, 'records.csv');
    expect(runCli(['records', 'export', '--out', out], { db }).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(`'=HYPERLINK`);
    const masked = join(dir, 'masked.csv');
    expect(runCli(['records', 'export', '--out', masked, '--mask'], { db }).code).toBe(0);
    expect(readFileSync(masked, 'utf8')).not.toContain('HYPERLINK');
    const bad = runCli(['records', 'export', '--out', '/nonexistent/x.csv'], { db });
    expect(bad.code).toBe(2);
    const badSince = runCli(['records', 'list', '--since', '2026-02-30'], { db });
    expect([badSince.code, badSince.stderr]).toEqual([2, expect.stringMatching(/--since/)]);
    const backwards = runCli(['records', 'list', '--since', '2026-03-02', '--until', '2026-03-01'], { db });
    expect([backwards.code, backwards.stderr]).toEqual([
      2,
      expect.stringMatching(/--until 2026-03-01 must be after --since 2026-03-02/),
    ]);
    expect(runCli(['records', 'list', '--limit', 'abc'], { db }).code).toBe(2);
    expect(runCli(['rejects', 'list', '--limit', '0'], { db }).code).toBe(2);
    expect(runCli(['records', 'export', '--out', join(dir, 'x.xlsx'), '--format', 'xlsx'], { db }).code).toBe(2);
  });

  it('a SIGKILL during a large file leaves the database as before that file; a rerun completes it exactly once', async () => {
    const ROWS = 150_000;
    const db = withCatalog();
    const dir = tempDir();
    const big = join(dir, 'big.csv');
    // More than one row group (122,880 rows), so the load takes the path that writes row groups in parallel.
    generate({ rows: ROWS, path: big, format: 'csv' });
    expect(runCli(['ingest', USAGE_JSONL], { db }).code).toBe(0);
    // Kill halfway through: how long the whole file takes on this machine, timed on a copy of the database.
    const probe = tempDbPath();
    copyFileSync(db, probe);
    const started = Date.now();
    expect(runCli(['ingest', big], { db: probe }).code).toBe(0);
    const whole = Date.now() - started;
    const child = spawn(process.execPath, [BIN, 'ingest', big], { env: cliEnv({ db }), cwd: ROOT, stdio: 'ignore' });
    const closed = new Promise((r) => child.on('close', r));
    await new Promise((r) => setTimeout(r, whole / 2));
    child.kill('SIGKILL');
    await closed;
    const count = () =>
      Number(
        /over ([\d,]+) rows/.exec(runCli(['records', 'list', '--limit', '1'], { db }).stdout)?.[1]?.replaceAll(',', ''),
      );
    const afterKill = count();
    // As before the file (the usual case), or — had it finished before the kill — the whole file; never part.
    expect([8, ROWS + 8]).toContain(afterKill);
    const files = runCli(['ingest', big, '--json'], { db });
    expect(files.code).toBe(0);
    const after = JSON.parse(files.stdout).files[0];
    // Nothing of the killed run survived, or all of it did (killed after COMMIT): both exactly once.
    expect(after.rows_loaded + after.rows_duplicate).toBe(ROWS);
    const again = JSON.parse(runCli(['ingest', big, '--json'], { db }).stdout).files[0];
    expect([again.rows_loaded, again.rows_duplicate]).toEqual([0, ROWS]);
    expect(count()).toBe(ROWS + 8);
    if (afterKill === 8) expect(after.rows_loaded).toBe(ROWS);
    // Three 150k-row ingests and a killed one: ~12 s alone on 2 shared cores (400k rows took ~57 s).
  }, 300_000);
});

describe('costctl demo (e2e)', () => {
  it('builds ./costctl-demo.duckdb in the working directory (never ./costctl.duckdb), recreated each run', () => {
    const cwd = tempDir();
    const expected = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'demo', 'expected.json'), 'utf8'));
    const env = { COSTCTL_DB: undefined };
    const r = runCli(['demo', '--json'], { cwd, env });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.rows_loaded).toBe(expected.usage_rows);
    expect(new Decimal(s.usage_total_cost).eq(expected.usage_total_cost)).toBe(true);
    expect(existsSync(join(cwd, 'costctl-demo.duckdb'))).toBe(true);
    expect(existsSync(join(cwd, 'costctl.duckdb'))).toBe(false);
    const again = runCli(['demo'], { cwd, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/rows loaded: 6,038/);
    expect(again.stdout).toMatch(/unpriced usage: acme-intent-classifier-v2 \(883 requests/);
    const refuse = runCli(['--db', 'costctl.duckdb', 'demo'], { cwd, env });
    expect(refuse.code).toBe(2);
    // An existing database that is not a demo is never replaced.
    const other = join(cwd, 'prod.duckdb');
    writeFileSync(other, 'not a database');
    const keep = runCli(['--db', other, 'demo'], { cwd, env });
    expect([keep.code, keep.stderr]).toEqual([
      1,
      expect.stringMatching(/prod\.duckdb exists and is not a costctl demo database/),
    ]);
    expect(readFileSync(other, 'utf8')).toBe('not a database');
  });
});
