// Bundles the compiled CLI (dist/src) into dist/bundle: Node resolves, reads and links ~150 small ES
// modules on every start, which costs a `costctl check` about 50 ms of its ~450. Dependencies stay
// external, except DuckDB's Node API: its ~120 CommonJS files are bundled too (see src/db/duckdb.ts for the
// measurement); its native binding (@duckdb/node-bindings) cannot be, and stays external. Dynamic
// imports stay lazy chunks.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}dist/bundle`, { recursive: true, force: true });
await build({
  input: `${root}dist/src/cli/main.js`,
  platform: 'node',
  external: (id) => /^[^./]/.test(id) && !id.startsWith('@duckdb/node-api'),
  logLevel: 'warn',
  output: { format: 'esm', dir: `${root}dist/bundle` },
});
