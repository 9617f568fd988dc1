// The CLI loads only the command groups a run names (src/cli/program.ts): each group must declare exactly the
// top-level commands it registers, or a run of that command would find nothing to run.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { COMMAND_GROUPS } from '../../src/commands/index.js';

const names = (program: Command) => program.commands.map((c) => c.name());

describe('command groups loaded per run', () => {
  it('every group declares the top-level commands it registers or adds to', async () => {
    // In --help order, as a full program is built: models-unpriced and models-discount add to `models`.
    const program = new Command('costctl');
    for (const group of COMMAND_GROUPS) {
      const before = new Map(program.commands.map((c) => [c.name(), c.commands.length]));
      (await group.load())(program);
      const touched = program.commands
        .filter((c) => !before.has(c.name()) || c.commands.length > before.get(c.name())!)
        .map((c) => c.name());
      expect(touched.sort()).toEqual([...group.commands].sort());
    }
  });

  it('a run naming a command loads its groups only; global flags with values are skipped', async () => {
    expect(names(await buildProgram(['ingest', 'x.jsonl']))).toEqual(['ingest']);
    expect(names(await buildProgram(['--db', 'ingest', 'restore', '--help']))).toEqual(['backup', 'restore']);
    expect(names(await buildProgram(['--tz=UTC', 'check', '--model', 'm']))).toEqual(['check']);
    const models = (await buildProgram(['models', 'discount', 'list'])).commands[0]!;
    expect(names(models)).toEqual(expect.arrayContaining(['list', 'unpriced', 'discount']));
  });

  it('no command word, help, or an unknown word loads every group (commander lists or suggests them)', async () => {
    const all = names(await buildProgram());
    expect(all.length).toBeGreaterThanOrEqual(COMMAND_GROUPS.length - 2);
    expect(names(await buildProgram(['--help']))).toEqual(all);
    expect(names(await buildProgram(['help', 'ingest']))).toEqual(all);
    expect(names(await buildProgram(['injest']))).toEqual(all);
    expect(names(await buildProgram(['--version']))).toEqual([]);
  });
});
