import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDirectory, listDirectory, parseDirectoryCsv } from '../../../src/services/limits/directory.js';
import { ROOT } from '../../helpers/cli.js';
import { withTempDb } from '../../helpers/db.js';

const fixture = (name: string) => join(ROOT, 'fixtures', 'directory', name);
const read = (name: string) => readFileSync(fixture(name), 'utf8');

describe('directory import', () => {
  it('stores every user; a second import updates instead of duplicating', async () => {
    await withTempDb(async (db) => {
      const now = new Date('2026-03-01T00:00:00Z');
      expect(await importDirectory(db, parseDirectoryCsv('users.csv', read('users.csv')), now)).toEqual({
        added: 3,
        updated: 0,
      });
      expect(
        await importDirectory(db, parseDirectoryCsv('x.csv', 'user_id,department\nu-18,sales-north\nu-20,ops\n'), now),
      ).toEqual({ added: 1, updated: 1 });
      const list = await listDirectory(db);
      expect(list.map((e) => [e.user_id, e.department, e.project])).toEqual([
        ['u-17', 'sales-east', 'apollo'],
        ['u-18', 'sales-north', null],
        ['u-19', 'marketing', 'zeus'],
        ['u-20', 'ops', null],
      ]);
    });
  });

  it('names every bad line and column, and imports nothing', () => {
    let message = '';
    try {
      parseDirectoryCsv('bad-users.csv', read('bad-users.csv'));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('3 problem(s), nothing imported');
    expect(message).toContain('bad-users.csv:3: user_id is empty');
    expect(message).toContain('bad-users.csv:4: user_id "u-1" already appears on line 2');
    expect(message).toContain('bad-users.csv:5: email "not-an-email"');
  });

  it('rejects unknown columns and a missing user_id column', () => {
    expect(() => parseDirectoryCsv('unknown-column.csv', read('unknown-column.csv'))).toThrow(
      /unknown-column\.csv:1: unknown column\(s\) team/,
    );
    expect(() => parseDirectoryCsv('x.csv', 'department\nsales\n')).toThrow(/x\.csv:1: missing column user_id/);
  });
});
