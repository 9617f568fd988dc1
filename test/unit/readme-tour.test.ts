// The README's Quick tour runs as printed from a fresh clone: `costctl` alone is not on PATH after
// `npm install`, `npx costctl` is (the package's own bin, no registry look-up).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

describe('README Quick tour', () => {
  it('every command line starts with `npx costctl`', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const tour = readme.slice(
      readme.indexOf('## Quick tour'),
      readme.indexOf('\n## ', readme.indexOf('## Quick tour') + 1),
    );
    const lines = [...tour.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n').filter(Boolean));
    expect(lines.length).toBeGreaterThan(10);
    let continued = false;
    for (const line of lines) {
      if (!continued) expect(line).toMatch(/^npx costctl /);
      continued = /\\$/.test(line.replace(/\s+#.*$/, ''));
    }
  });

  it('the set-up stays two commands, and the demo hint names a runnable CLI', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm install && npx costctl demo');
    expect(readme).toContain('COSTCTL_NOW=2026-03-02T09:00:00Z npx costctl --db costctl-demo.duckdb dashboard');
  });
});
