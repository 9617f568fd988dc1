// Bundles the compiled CLI (dist/src) into dist/bundle: Node resolves, reads and links ~150 small ES
// modules on every start, which costs a `costctl check` about 50 ms of its ~450. Dependencies stay
// external (DuckDB's native binding cannot be bundled); dynamic imports stay lazy chunks.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}dist/bundle`, { recursive: true, force: true });
await build({
  input: `${root}dist/src/cli/main.js`,
  platform: 'node',
  external: [/^[^./]/],
  logLevel: 'warn',
  output: { format: 'esm', dir: `${root}dist/bundle` },
});
