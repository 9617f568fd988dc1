// A second process that holds a DuckDB file open for a while, as another costctl run would.
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './cli.js';

const SCRIPT = `
import('@duckdb/node-api').then(async ({ DuckDBInstance }) => {
  const instance = await DuckDBInstance.create(process.argv[1]);
  const connection = await instance.connect();
  await connection.run('CREATE TABLE IF NOT EXISTS holder_probe (x INTEGER)');
  process.stdout.write('ready\\n');
  setTimeout(() => { connection.closeSync(); instance.closeSync(); process.exit(0); }, Number(process.argv[2]));
});`;

/** Starts the holder and resolves once it has the file open. */
export function holdDatabase(path: string, ms: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SCRIPT, path, String(ms)], { cwd: ROOT });
    child.stdout.on('data', (d) => {
      if (String(d).includes('ready')) resolve(child);
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
}
