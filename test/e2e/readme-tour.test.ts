// The README's Quick tour, run as printed: every `npx costctl …` line of its code blocks, in order, in a
// fresh folder that has the clone's fixtures (the tour runs from the clone), one config and one database
// for the whole tour as a user would have. A line may exit non-zero only where its comment says so
// ("exit 3"). If the README changes, this test runs the new lines: the tour cannot drift.
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

interface TourLine {
  args: string[];
  allowed: number[];
  text: string;
}

/** The `npx costctl` lines of the Quick tour's sh blocks, continuation lines joined. */
function tourLines(readme: string): TourLine[] {
  const section = readme.split(/^## Quick tour$/m)[1]!.split(/^## /m)[0]!;
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const lines = blocks.flatMap((b) => b.replace(/\\\n\s*/g, ' ').split('\n')).filter((l) => l.trim());
  return lines.map((text) => {
    const [command, comment = ''] = text.split(/\s+#\s/, 2) as [string, string?];
    const words = command.trim().split(/\s+/);
    if (words[0] !== 'npx' || words[1] !== 'costctl') throw new Error(`not a costctl line: ${text}`);
    if (words.some((w) => /["'`$]/.test(w))) throw new Error(`quotes or variables need a shell: ${text}`);
    const exit = /exit (\d)/.exec(comment ?? '');
    return { args: words.slice(2), allowed: exit ? [0, Number(exit[1])] : [0], text };
  });
}

/** What each step must show (stdout and stderr together), by its first words. */
const SHOWS: Record<string, RegExp> = {
  init: /costctl\.duckdb/,
  'models list': /anthropic/,
  estimate: /total/,
  'models show': /acme-chat[\s\S]*2026-12-01/,
  'audit list': /models update/,
  ingest: /usage\.jsonl \(usage\): 8 read, 8 loaded/,
  'records list': /sales-east/,
  'quotas add': /added quota sales-east-monthly/,
  check: /"allowed": (true|false)/,
  dashboard: /costctl dashboard/,
  reconcile: /billed/,
  'jobs list': /threshold-check/,
};

describe('README Quick tour', () => {
  it('runs as printed, in order, on a fresh folder', () => {
    const lines = tourLines(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(lines.length).toBeGreaterThanOrEqual(15);
    const cwd = tempDir('costctl-tour-');
    symlinkSync(join(ROOT, 'fixtures'), join(cwd, 'fixtures'));
    const home = tempDir('costctl-tour-home-');
    const env = {
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      COSTCTL_OUTBOX_DIR: join(home, 'outbox'),
      // As a user has it: no database named in the environment, the bundled catalog for a new one.
      COSTCTL_DB: undefined,
      COSTCTL_NEW_DB_CATALOG: undefined,
    };
    const shown = new Set<string>();
    for (const line of lines) {
      const r = runCli(line.args, { cwd, env });
      const out = `${r.stdout}\n${r.stderr}`;
      expect(`${line.text}\n→ exit ${r.code}`, out).toMatch(new RegExp(`→ exit (${line.allowed.join('|')})$`));
      const key = Object.keys(SHOWS).find((k) => line.args.join(' ').startsWith(k));
      if (key) {
        expect(out, line.text).toMatch(SHOWS[key]!);
        shown.add(key);
      }
    }
    expect([...shown].sort()).toEqual(Object.keys(SHOWS).sort());
  }, 600_000); // ~17 CLI runs, the first loading the whole bundled catalog
});
