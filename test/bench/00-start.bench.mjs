// Command start: costctl's own overhead against a bare process that opens the same file and counts rows.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, floorArgs, fmt, medianOf, ratio, timeNode } from './bench-util.mjs';

export async function run({ workDir, log }) {
  const db = join(mkdtempSync(join(workDir, 'start-')), 'start.duckdb');
  timeNode(
    [BIN, 'models', 'add', 'bench-model', '--provider', 'bench', '--input-price', '0.001', '--output-price', '0.002'],
    { COSTCTL_DB: db },
  );
  const env = { COSTCTL_DB: db };
  const floor = medianOf(7, () => timeNode(floorArgs(db, 'select count(*) from usage')));
  const help = medianOf(7, () => timeNode([BIN, '--help'], env));
  const estimate = medianOf(7, () =>
    timeNode([BIN, 'estimate', '--model', 'bench-model', '--input-tokens', '1000', '--json'], env),
  );
  log(`floor (node + open + count):  ${fmt(floor)}`);
  log(`costctl --help:               ${fmt(help)}  (${ratio(help, floor)} of floor; no database opened)`);
  log(`costctl estimate --json:      ${fmt(estimate)}  (${ratio(estimate, floor)} of floor)`);
}
