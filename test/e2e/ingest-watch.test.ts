// `costctl ingest --watch DIR` as a real process (#20): it loads the folder, then each new line and each
// new session file as they appear, leaves the database free between rounds, and stops cleanly on Ctrl-C
// (SIGINT) with every response stored exactly once.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, cliEnv, initializedDb, runCliAsync } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

function line(id: string, output = 10) {
  return `${JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    cwd: '/home/alice/work/bot',
    sessionId: 'sess-1',
    version: '2.1.39',
    type: 'assistant',
    uuid: `u-${id}-${output}`,
    timestamp: '2026-02-12T16:02:51.467Z',
    requestId: `req_${id}`,
    message: { model: 'claude-sonnet-4-6', id: `msg_${id}`, usage: { input_tokens: 100, output_tokens: output } },
  })}\n`;
}

describe('ingest --watch (e2e)', () => {
  it('loads new lines and new sessions as they appear; Ctrl-C stops it cleanly', async () => {
    const dir = tempDir();
    const session = join(dir, 'proj', 'sess-1.jsonl');
    mkdirSync(join(dir, 'proj'));
    writeFileSync(session, line('A') + line('B'));
    const db = initializedDb();
    const child = spawn(process.execPath, [BIN, 'ingest', '--watch', dir, '--interval', '0.1'], {
      env: cliEnv({ db }),
      cwd: ROOT,
    });
    let stdout = '';
    let stderr = '';
    const waiters: (() => void)[] = [];
    const wake = () => {
      for (const w of waiters.splice(0)) w();
    };
    child.stdout.on('data', (d) => {
      stdout += d;
      wake();
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      wake();
    });
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    /** Waits until stdout has `n` round lines (no clock: the test's own timeout bounds it). */
    const rounds = async (n: number) => {
      while (stdout.trim().split('\n').filter(Boolean).length < n) await new Promise<void>((r) => waiters.push(r));
      return stdout.trim().split('\n');
    };

    expect((await rounds(1))[0]).toMatch(/1 file\(s\): 2 read, 2 loaded/);
    // The database is not held between rounds: another command reads it meanwhile.
    const other = await runCliAsync(['records', 'list', '--json'], { db });
    expect(other.code, other.stderr).toBe(0);
    expect(JSON.parse(other.stdout)).toHaveLength(2);

    appendFileSync(session, line('C'));
    expect((await rounds(2))[1]).toMatch(/1 file\(s\): 1 read, 1 loaded/);
    mkdirSync(join(dir, 'proj', 'sess-1', 'subagents'), { recursive: true });
    writeFileSync(join(dir, 'proj', 'sess-1', 'subagents', 'agent-1.jsonl'), line('D') + line('A'));
    expect((await rounds(3))[2]).toMatch(/1 file\(s\): 2 read, 1 loaded/);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/^watching .* every 0\.1 s \(Ctrl-C stops\)$/m);
    expect(stderr).toMatch(/SIGINT: stopping after the read in progress/);
    expect(stderr).toMatch(/stopped after \d+ round\(s\): 4 row\(s\) loaded/);
    const rows = JSON.parse((await runCliAsync(['records', 'list', '--json'], { db })).stdout) as {
      request_id: string;
    }[];
    expect(rows.map((r) => r.request_id).sort()).toEqual(['msg_A:req_A', 'msg_B:req_B', 'msg_C:req_C', 'msg_D:req_D']);
  });

  it('refuses what a watch cannot do, before any work', async () => {
    const dir = tempDir();
    const r = await runCliAsync(['ingest', '--watch', dir, '--json'], { db: initializedDb() });
    expect([r.code, r.stderr.trim()]).toEqual([
      2,
      'costctl: --json cannot be used with --watch (it reports once; --watch runs until stopped)',
    ]);
    const f = await runCliAsync(['ingest', '--watch', join(dir, 'missing')], { db: initializedDb() });
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/missing: not a folder; --watch keeps a folder loaded/);
  });
});
