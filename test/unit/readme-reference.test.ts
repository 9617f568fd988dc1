// The README's command reference must say what --help says. Regenerate with `npm run docs`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { commandReference, replaceReference } from '../../src/cli/reference.js';
import { ROOT } from '../helpers/cli.js';

describe('README command reference', () => {
  it('is in step with the commands and options the CLI defines', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const expected = replaceReference(readme, commandReference(await buildProgram()));
    expect(readme === expected, 'README.md command reference is stale: run `npm run build && npm run docs`').toBe(true);
  });
});
