// What the output can use: colour (only on a terminal, never with NO_COLOR or --no-color) and how wide a
// table may be ($COLUMNS or the terminal's width; unbounded with --wide or when neither is known).

let noColourFlag = false;
let wideFlag = false;

/** Set once by the CLI from --no-color and --wide before a command runs. */
export function setOutputFlags(flags: { colour?: boolean; wide?: boolean }): void {
  noColourFlag = flags.colour === false;
  wideFlag = Boolean(flags.wide);
}

export function useColour(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  // NO_COLOR: present and not empty disables colour (no-color.org).
  return Boolean(stream.isTTY) && !env.NO_COLOR && !noColourFlag;
}

/** Columns a table may take on stdout, or undefined for no limit. */
export function tableWidth(
  stream: { isTTY?: boolean; columns?: number } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  if (wideFlag) return undefined;
  return terminalWidth(stream, env);
}

/** $COLUMNS when it is a positive number, else the terminal's own width, else undefined (a pipe). */
export function terminalWidth(
  stream: { isTTY?: boolean; columns?: number },
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  const fromEnv = Number(env.COLUMNS);
  if (env.COLUMNS && Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return stream.isTTY && stream.columns ? stream.columns : undefined;
}

/** Shortens text to `width` characters, keeping its start and its end around an ellipsis. */
export function truncateMiddle(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return `${chars.slice(0, head).join('')}…${tail ? chars.slice(-tail).join('') : ''}`;
}

/** Shortens text to `width` characters, ending with an ellipsis. */
export function truncateEnd(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 0 ? '' : `${chars.slice(0, width - 1).join('')}…`;
}
