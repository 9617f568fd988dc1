// The pass that sets aside lines DuckDB's line reader cannot take (src/ingest/line-check.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { badLineReason, copyWithoutBadLines, MAX_LINE_BYTES } from '../../src/ingest/line-check.js';
import { tempDir } from '../helpers/temp.js';

const b = (hex: string) => Buffer.from(hex.replace(/ /g, ''), 'hex');

describe('badLineReason', () => {
  const cases: [string, Buffer, string | undefined][] = [
    ['ascii', Buffer.from('{"a":1}'), undefined],
    ['two-byte é', b('7b c3 a9 7d'), undefined],
    ['emoji (4 bytes)', b('f0 9f 98 80'), undefined],
    ['latin-1 é', b('7b e9 7d'), 'byte 0xe9 at byte 2'],
    ['lone continuation', b('41 80'), 'byte 0x80 at byte 2'],
    ['overlong slash', b('41 42 c0 af'), 'byte 0xc0 at byte 3'],
    ['UTF-16 surrogate', b('ed a0 80'), 'byte 0xed at byte 1'],
    ['cut-off sequence at the end', b('41 e2 82'), 'byte 0xe2 at byte 2'],
  ];
  for (const [name, bytes, want] of cases) {
    it(name, () => {
      const reason = badLineReason(bytes, bytes.length);
      if (want === undefined) expect(reason).toBeUndefined();
      else expect(reason).toContain(want);
    });
  }
  it('a length over the limit, whatever the bytes', () => {
    expect(badLineReason(Buffer.from('x'), MAX_LINE_BYTES)).toBeUndefined();
    expect(badLineReason(Buffer.from('x'), MAX_LINE_BYTES + 1)).toMatch(/^line is 16777216 bytes long/);
  });
});

describe('copyWithoutBadLines', () => {
  it('blanks bad (and empty) lines with one space, so every other line keeps its number', async () => {
    const dir = tempDir();
    const src = join(dir, 'in.jsonl');
    // A 3 MiB line spans the 1 MiB read chunks; its bad byte sits in the third chunk.
    const long = Buffer.concat([Buffer.from('a'.repeat(2.5 * 1024 * 1024)), b('ff'), Buffer.from('z')]);
    writeFileSync(src, Buffer.concat([Buffer.from('one\r\n'), b('74 77 ff 0a'), long, Buffer.from('\nfour\n\nsix')]));
    const bad = await copyWithoutBadLines(src, join(dir, 'out.jsonl'));
    expect(bad.map((x) => x.line)).toEqual([2, 3]);
    expect(bad[1]!.reason).toContain(`at byte ${2.5 * 1024 * 1024 + 1} of the line`);
    expect(bad[1]!.raw).toBe(`${'a'.repeat(512)}…`);
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toBe('one\r\n \n \nfour\n \nsix');
  });

  it('keeps the other lines byte for byte, a CRLF line ending too', async () => {
    const dir = tempDir();
    const text = '{"a":"é"}\r\n \t\r\n{"b":2}\n';
    writeFileSync(join(dir, 'in'), text);
    expect(await copyWithoutBadLines(join(dir, 'in'), join(dir, 'out'))).toEqual([]);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe(text);
    writeFileSync(join(dir, 'in'), Buffer.concat([b('ff 0d 0a'), Buffer.from('\r\nx')]));
    expect((await copyWithoutBadLines(join(dir, 'in'), join(dir, 'out'))).map((x) => x.line)).toEqual([1]);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe(' \r\n \r\nx');
  });
});
