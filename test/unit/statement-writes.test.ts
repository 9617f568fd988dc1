// The write classifier behind Db.writeStamp: a statement it places on the wrong table (or on none) would
// let the pre-call check reuse rows that changed, so every shape costctl writes is pinned here.
import { describe, expect, it } from 'vitest';
import { statementWrites } from '../../src/db/statement-writes.js';

describe('statementWrites', () => {
  it.each([
    ['SELECT * FROM quotas', 'none'],
    ['  \n  select 1', 'none'],
    ['FROM quotas', 'none'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'none'],
    ["SET TimeZone = 'UTC'", 'none'],
    ['RESET preserve_insertion_order', 'none'],
    ['BEGIN TRANSACTION', 'none'],
    ['COMMIT', 'none'],
    ['-- a comment\nSELECT 1', 'none'],
    // A column name is not a keyword: updated_at, created_at, deleted.
    ['SELECT updated_at, created_at FROM quotas', 'none'],
  ])('%j reads only', (sql, kind) => {
    expect(statementWrites(sql).kind).toBe(kind);
  });

  it.each([
    ['INSERT INTO quotas (name) VALUES (?)', 'quotas'],
    ['insert or replace into directory SELECT * FROM x', 'directory'],
    ['UPDATE quotas SET limit_amount = 1', 'quotas'],
    ['DELETE FROM model_aliases WHERE alias = ?', 'model_aliases'],
    ['DELETE FROM main.quota_resets', 'quota_resets'],
    ['INSERT INTO "Rollup_Scopes" VALUES (1)', 'rollup_scopes'],
    ['\n  INSERT INTO usage (a) SELECT 1;  ', 'usage'],
  ])('%j changes rows of %s (its changed-row count tells whether it wrote)', (sql, table) => {
    expect(statementWrites(sql)).toEqual({ kind: 'table', table, rows: true });
  });

  it.each([
    // DuckDB reports 0 changed rows for a statement with RETURNING, whatever it wrote.
    ['INSERT INTO usage (a) SELECT 1 RETURNING request_id', 'usage'],
    ['CREATE OR REPLACE TEMP TABLE record_staged AS SELECT 1', 'record_staged'],
    ['CREATE TEMP TABLE IF NOT EXISTS quotas AS SELECT 1', 'quotas'],
    ['DROP TABLE IF EXISTS temp.staged', 'staged'],
    ['DROP VIEW staged', 'staged'],
    ['ALTER TABLE budgets ADD COLUMN x INTEGER', 'budgets'],
    ['TRUNCATE usage', 'usage'],
  ])('%j changes %s', (sql, table) => {
    expect(statementWrites(sql)).toEqual({ kind: 'table', table, rows: false });
  });

  it.each([
    ['ROLLBACK'],
    ['INSERT INTO usage SELECT 1; DELETE FROM quotas'],
    ['WITH x AS (SELECT 1) INSERT INTO quotas SELECT * FROM x'],
    ["COPY quotas FROM 'q.csv'"],
    ["ATTACH 'other.duckdb' AS o"],
    ["IMPORT DATABASE 'backup'"],
    ['EXPLAIN ANALYZE DELETE FROM quotas'],
    ['CREATE SEQUENCE s'],
    ['CALL something()'],
  ])('%j may change anything', (sql) => {
    expect(statementWrites(sql).kind).toBe('everything');
  });
});
