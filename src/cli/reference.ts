// The README's command reference, generated from the same commander program that prints --help,
// so the two cannot drift (test/unit/readme-reference.test.ts compares them).
import type { Command, Option } from 'commander';

function path(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function optionLine(o: Option): string {
  const def =
    o.defaultValue !== undefined &&
    o.defaultValue !== false &&
    !(Array.isArray(o.defaultValue) && o.defaultValue.length === 0)
      ? ` (default: ${JSON.stringify(o.defaultValue)})`
      : '';
  const choices = o.argChoices ? ` (one of: ${o.argChoices.join(', ')})` : '';
  return `| \`${o.flags}\` | ${o.description.replace(/\|/g, '\\|')}${choices}${def} |`;
}

function section(cmd: Command, out: string[]): void {
  // A group is listed through its commands, unless it runs itself too (it has options: `serve`).
  const runs = cmd.commands.length === 0 || cmd.options.length > 0;
  if (runs) {
    const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
    out.push(`### \`${path(cmd)}${args ? ` ${args}` : ''}\``, '', cmd.description(), '');
    const options = cmd.options.filter((o) => !o.hidden);
    if (options.length) out.push('| option | meaning |', '|---|---|', ...options.map(optionLine), '');
  }
  for (const sub of cmd.commands) section(sub, out);
}

export function commandReference(program: Command): string {
  const out: string[] = [];
  out.push('Global options (before or after the command):', '', '| option | meaning |', '|---|---|');
  out.push(...program.options.filter((o) => !['-V, --version'].includes(o.flags)).map(optionLine), '');
  for (const cmd of program.commands) section(cmd, out);
  return out.join('\n').trim();
}

export function replaceReference(readme: string, reference: string): string {
  const start = '<!-- reference:start -->';
  const end = '<!-- reference:end -->';
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < 0) throw new Error('README.md has no reference markers');
  return `${readme.slice(0, i + start.length)}\n${reference}\n${readme.slice(j)}`;
}
