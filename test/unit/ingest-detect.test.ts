// Format detection and the small pure helpers of the ingest adapters, table-driven.
import { describe, expect, it } from 'vitest';
import { detectAdapter } from '../../src/ingest/index.js';
import { csvHeader, splitCsvLine } from '../../src/ingest/csv-source.js';
import { isJsonLines } from '../../src/ingest/jsonl-source.js';
import type { IngestFile } from '../../src/ingest/types.js';

const file = (head: string): IngestFile => ({
  displayPath: 'x',
  localPath: '/nonexistent',
  head,
  sizeBytes: head.length,
});

describe('detectAdapter', () => {
  const cases: [string, string, string | undefined][] = [
    ['native JSONL', '{"request_id":"r","timestamp":"2026-03-02T00:00:00Z","model":"gpt-4o"}\n', 'usage'],
    [
      'native JSONL, first line broken',
      '{"request_id":\n{"timestamp":"2026-03-02T00:00:00Z","model":"gpt-4o"}\n',
      'usage',
    ],
    ['native CSV', 'request_id,timestamp,model,input_tokens\nr,2026-03-02T00:00:00Z,gpt-4o,1\n', 'usage'],
    ['native CSV, upper-case header', 'TIMESTAMP,MODEL\n2026-03-02,gpt-4o\n', 'usage'],
    ['records export JSON array', '[\n\t{"request_id":"r","timestamp":"2026-03-02T00:00:00Z","model":"m"}\n]', 'usage'],
    [
      'Claude Code transcript',
      '{"type":"file-history-snapshot","messageId":"m"}\n{"parentUuid":null,"sessionId":"s","type":"user","uuid":"u","message":{"role":"user"}}\n',
      'claude-code',
    ],
    [
      'Claude Code ccusage minimal',
      '{"type":"assistant","message":{"usage":{"input_tokens":1,"output_tokens":2}}}\n',
      'claude-code',
    ],
    [
      'LiteLLM SpendLogs JSON',
      '{\n  "request_id": "chatcmpl-1",\n  "startTime": "2025-01-24 09:20:46",\n  "spend": 0.1\n}',
      'litellm',
    ],
    [
      'LiteLLM SpendLogs CSV',
      'request_id,call_type,spend,startTime,model\nx,acompletion,0.1,2025-01-24 09:20:46,gpt-4o\n',
      'litellm',
    ],
    [
      'OpenRouter activity CSV',
      'generation_id,created_at,cost_total,tokens_prompt\ng,2026-02-06 18:54:30.040,0.1,10\n',
      'openrouter',
    ],
    [
      'OpenRouter generation record',
      '{"data":{"id":"gen-1-a","tokens_prompt":1,"model":"openai/gpt-4o"}}\n',
      'openrouter',
    ],
    ['plain text', 'hello\nworld\n', undefined],
    ['CSV without model', 'a,b\n1,2\n', undefined],
  ];
  it.each(cases)('%s', (_name, head, format) => {
    expect(detectAdapter(file(head))?.format).toBe(format);
  });

  // A folder's files carry their undecoded head (services/ingest/inputs.ts): the same answers from it.
  it.each(cases)('%s, from the head bytes', (_name, head, format) => {
    expect(detectAdapter({ ...file(head), headBytes: Buffer.from(head) })?.format).toBe(format);
  });

  const claudeLine = '{"parentUuid":null,"sessionId":"s","type":"user","uuid":"u","message":{"role":"é"}}';
  it.each([
    [
      'a Claude Code line after 19 other lines and blank ones',
      `${'{"a":1}\n\n'.repeat(19)}${claudeLine}\n`,
      'claude-code',
    ],
    ['a Claude Code line only as the 21st line', `${'{"a":1}\n'.repeat(20)}${claudeLine}\n`, undefined],
    ['a Claude Code line cut by the head (no newline after it)', `{"a":1}\n${claudeLine}`, undefined],
  ])('%s', (_name, head, format) => {
    // Cut inside the last character: a head ends wherever its 64 KiB end, even mid-character.
    const bytes = Buffer.from(head);
    const cut = head.endsWith('\n') ? bytes : bytes.subarray(0, bytes.length - 3);
    expect(detectAdapter({ ...file(head), headBytes: cut })?.format).toBe(format);
    expect(detectAdapter(file(head))?.format).toBe(format);
  });
});

describe('CSV header cells', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['"a,1",b', ['a,1', 'b']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['a,,c', ['a', '', 'c']],
  ])('%s', (line, cells) => expect(splitCsvLine(line)).toEqual(cells));

  it('strips a BOM, CR and spaces', () =>
    expect(csvHeader('\uFEFF timestamp , model\r\n1,2')).toEqual(['timestamp', 'model']));
});

describe('isJsonLines', () => {
  it.each([
    ['{"a":1}\n{"a":2}', true],
    ['{"a":\n{"a":2}', true], // a broken first line is still JSON Lines (one reject)
    ['{\n  "a": 1\n}', false], // one pretty-printed object
    ['[{"a":1}]', false],
    ['{ "request_id": {\n', false],
  ])('%j → %s', (head, expected) => expect(isJsonLines(head)).toBe(expected));
});
