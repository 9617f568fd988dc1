// `models sync` and `models import` as a user runs them: the CLI spawned against a loopback HTTP server
// serving the real catalog file; exit codes, one-line refusals, and the report of what changed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, initializedDb, runCliAsync } from '../helpers/cli.js';
import { tempDbPath } from '../helpers/temp.js';

const GENAI_FILE = join(ROOT, 'fixtures', 'pricing', 'genai-prices-data.json');
const GENAI = readFileSync(GENAI_FILE, 'utf8');

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/data.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'last-modified': 'Fri, 21 Aug 2026 09:00:00 GMT' });
      res.end(GENAI);
    } else {
      res.writeHead(500, 'Internal Server Error');
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('models sync (CLI)', () => {
  it('applies the download, says what changed, and lists each price with its source and date', async () => {
    const db = initializedDb();
    const r = await runCliAsync(['models', 'sync', '--source', `${base}/data.json`], { db });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/data\.json \(genai-prices 2026-08-21\): \d+ added, 0 changed/,
    );
    expect(r.stdout).toContain('dated versions: ');
    expect(r.stdout).toContain('not applied (no price field yet) 2 model(s): time-of-day prices');
    const list = await runCliAsync(['models', 'list', '--search', 'claude-opus-4-8', '--json'], { db });
    const [opus] = JSON.parse(list.stdout);
    expect(opus.current).toMatchObject({
      source: 'genai-prices',
      catalog_date: '2026-08-21',
      input_price: '0.005',
    });
  });

  it('a 500 is exit 1 with one line naming the address, and nothing is stored', async () => {
    const db = initializedDb();
    const r = await runCliAsync(['models', 'sync', '--source', `${base}/gone.json`], { db });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `costctl: ${base}/gone.json: HTTP 500 Internal Server Error; nothing changed, try again later`,
    );
    const list = await runCliAsync(['models', 'list', '--json'], { db });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it.each([
    [
      ['models', 'sync', '--source', 'http://example.com/p.json'],
      /--source: http:\/\/ is not allowed; give an https:\/\/ URL/,
    ],
    [
      ['models', 'sync', '--source', 'openai'],
      /--source: "openai" is neither litellm, genai-prices, langfuse nor a URL/,
    ],
    [['models', 'import', GENAI_FILE, '--catalog-date', '2026-02-30'], /"2026-02-30" must be a date YYYY-MM-DD/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await runCliAsync(args, { db: initializedDb() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('models diff (CLI)', () => {
  it('shows the 2 × disagreement on gemini-3.6-flash as a table', async () => {
    const r = await runCliAsync(['models', 'diff', '--model', 'gemini-3.6-flash'], { db: tempDbPath() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ gemini-3\.6-flash │ input +│ +— │ +0\.0015 │ +0\.00075 │ +2× │/);
  });

  it.each([
    [['models', 'diff'], /no usage rows name a model yet; give one with --model NAME/],
    [['models', 'diff', '--model', 'x', '--threshold', '2'], /--threshold.*must be a fraction between 0 and 1/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await runCliAsync(args, { db: initializedDb() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
