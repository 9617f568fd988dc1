// Header values come from data (quota names, model names, titles): CR/LF or other control characters
// in them must never start a new header line.

/** One line of header text: control characters become spaces, runs of space collapse, length is capped. */
export function headerValue(value: string, max = 200): string {
  const flat = value
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a header must not carry
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const ADDRESS = /^[^@\s<>",;:\\()[\]]+@[^@\s<>",;:\\()[\]]+\.?[^@\s<>",;:\\()[\]]*$/;

/** A bare address (no display name), safe to hand to SMTP as an envelope recipient. */
export function isPlainAddress(value: string): boolean {
  return ADDRESS.test(value) && !/[\r\n]/.test(value);
}

/**
 * A sender as configured: `addr@host` or `Name <addr@host>`. Returns the parts, or undefined when the
 * text is not a single well-formed sender.
 */
export function parseSender(value: string): { name?: string; address: string } | undefined {
  if (/[\r\n]/.test(value)) return undefined;
  const m = /^\s*(?:"?([^"<>]*?)"?\s*)?<([^<>]+)>\s*$/.exec(value);
  if (m) {
    const address = m[2]!.trim();
    if (!isPlainAddress(address)) return undefined;
    const name = headerValue(m[1] ?? '');
    return name ? { name, address } : { address };
  }
  const bare = value.trim();
  return isPlainAddress(bare) ? { address: bare } : undefined;
}

/** Recipients without duplicates, each checked; bad ones are returned separately so callers can say so. */
export function cleanRecipients(values: readonly string[]): { good: string[]; bad: string[] } {
  const good: string[] = [];
  const bad: string[] = [];
  for (const v of values) {
    const t = String(v).trim();
    if (isPlainAddress(t)) {
      if (!good.includes(t)) good.push(t);
    } else bad.push(t);
  }
  return { good, bad };
}
