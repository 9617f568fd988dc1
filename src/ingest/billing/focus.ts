// FinOps FOCUS 1.0–1.2 billing export (CSV or Parquet) → billing lines.
// Source doc: ../shared/formats/focus-columns.md (FOCUS_Spec v1.0/v1.1/v1.2 column files) and the real
// samples in ../shared/data/samples/focus/ (literal NULL cells, timestamps without T/Z, an extra `Id`
// column, quoted numbers; the AI-billing drafts add ServiceProviderName/HostProviderName, SkuMeter and
// SkuPriceDetails).
//
// Mapping (column names matched case-insensitively; a missing optional column reads as null):
//   charge_period_start/end ← ChargePeriodStart / ChargePeriodEnd (any ISO-ish form, read as UTC)
//   provider        ← ServiceProviderName, else ProviderName, else PublisherName
//   service         ← ServiceName
//   model           ← SkuPriceDetails.ModelId, else x_ModelId / x_Model / x_ModelName
//   sku             ← SkuId, else SkuPriceId
//   charge_category ← ChargeCategory
//   quantity, unit  ← ConsumedQuantity + ConsumedUnit, else PricingQuantity + PricingUnit
//   billed_cost     ← BilledCost (required) · list_cost ← ListCost · currency ← BillingCurrency
//   invoice_id      ← InvoiceId (1.2) · billing_account ← BillingAccountId · tags ← Tags (a JSON object)
// line_key: `focus:` + sha256 of the row's identifying dimensions (account, sub-account, charge period,
// category/class, provider, service, resource, region, SKU, meter, commitment, …; not the amounts, the
// invoice id or the tags, which a later export of the same charge may fill in) + `:` + the occurrence
// number among identical dimension sets in the file, so two real charges that look alike both load, and
// the same charge in two overlapping exports (or in CSV and in Parquet) loads once.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DataError } from '../../errors.js';
import type { Db } from '../../db/database.js';
import type { Adapter, IngestFile, StageResult } from '../types.js';
import { sqlIdent as ident, sqlString } from '../../db/sql.js';
import { createStaging, readCsvRaw, readParquetRaw, type RawTable } from './staging.js';
import { acceptedInstants, instantRangeRule } from '../../domain/ingest-bounds.js';
import { sqlTimestamp } from '../../domain/time.js';

/** SQL: the TIMESTAMP `col` lies inside the range every ingested instant must (domain/ingest-bounds.ts). */
const inRangeSql = (col: string) =>
  `(${col} >= TIMESTAMP '${sqlTimestamp(acceptedInstants().from)}' AND ${col} < TIMESTAMP '${sqlTimestamp(acceptedInstants().end)}')`;

const REQUIRED_HEADERS = ['billedcost', 'chargeperiodstart', 'billingcurrency'];

/** The header cells of a CSV's first line, lower-cased and unquoted. */
export function csvHeaderCells(head: string): string[] {
  const first = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return first.split(',').map((c) =>
    c
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase(),
  );
}

export function looksLikeFocusCsv(head: string): boolean {
  const cells = new Set(csvHeaderCells(head));
  return REQUIRED_HEADERS.every((h) => cells.has(h));
}

/** Parquet keeps column names as plain strings in its footer: look for the FOCUS ones there. */
export function looksLikeFocusParquet(path: string, head: string): boolean {
  if (!head.startsWith('PAR1')) return false;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const bytes = fstatSync(fd).size;
    if (bytes < 12) return false;
    const tail = Buffer.alloc(8);
    readSync(fd, tail, 0, 8, bytes - 8);
    if (tail.toString('latin1', 4) !== 'PAR1') return false;
    const footerLength = tail.readUInt32LE(0);
    if (footerLength <= 0 || footerLength > bytes - 12) return false;
    const footer = Buffer.alloc(footerLength);
    readSync(fd, footer, 0, footerLength, bytes - 8 - footerLength);
    const text = footer.toString('latin1');
    return text.includes('BilledCost') && text.includes('ChargePeriodStart');
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Key dimensions: the columns that say which charge a row is (see the header comment). */
const KEY_DIMENSIONS = [
  'BillingAccountId',
  'SubAccountId',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeFrequency',
  'ChargeDescription',
  'ProviderName',
  'ServiceProviderName',
  'HostProviderName',
  'PublisherName',
  'InvoiceIssuerName',
  'ServiceName',
  'ResourceId',
  'RegionId',
  'AvailabilityZone',
  'SkuId',
  'SkuPriceId',
  'SkuMeter',
  'PricingCategory',
  'PricingUnit',
  'ConsumedUnit',
  'BillingCurrency',
  'CommitmentDiscountId',
  'CommitmentDiscountStatus',
  'CapacityReservationId',
  'CapacityReservationStatus',
  'CredentialId',
  'PrincipalId',
];

/** Every FOCUS (and draft / x_) column the mapping reads. */
const READ_COLUMNS = [
  ...KEY_DIMENSIONS,
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'BilledCost',
  'ListCost',
  'ConsumedQuantity',
  'PricingQuantity',
  'Tags',
  'SkuPriceDetails',
  'x_ModelId',
  'x_Model',
  'x_ModelName',
  'InvoiceId',
];

/**
 * The SQL that maps one raw (all-text) FOCUS table to typed rows with a reject reason. Three layers so
 * each cell is trimmed and cast once: `c` picks and trims the cells, `v` casts them, the outer SELECT
 * judges and maps.
 */
export function focusMappingSql(raw: RawTable): string {
  const byLower = new Map(raw.columns.map((c) => [c.toLowerCase(), c]));
  const picked = [...new Set(READ_COLUMNS)].map((name) => {
    const found = byLower.get(name.toLowerCase());
    return `${found ? `trim(r.${ident(found)})` : 'NULL::VARCHAR'} AS ${ident(name)}`;
  });
  const q = (name: string) => `'${name} "' || ${ident(name)} || '"'`;
  const badNumber = (name: string) =>
    `WHEN ${ident(name)} IS NOT NULL AND v_${name} IS NULL THEN ${q(name)} || ' is not a number'`;
  const stamp = (v: string) => `strftime(${v}, '%Y-%m-%d %H:%M:%S')`;
  const dims = KEY_DIMENSIONS.map((d) => (d === 'BillingPeriodStart' ? stamp('v_BillingPeriodStart') : ident(d)));

  return `
    WITH c AS (SELECT r.__line AS line, ${picked.join(', ')} FROM ${raw.table} AS r),
    v AS (
      SELECT *,
        TRY_CAST(ChargePeriodStart AS TIMESTAMPTZ)::TIMESTAMP AS v_ChargePeriodStart,
        TRY_CAST(ChargePeriodEnd AS TIMESTAMPTZ)::TIMESTAMP AS v_ChargePeriodEnd,
        TRY_CAST(BillingPeriodStart AS TIMESTAMPTZ)::TIMESTAMP AS v_BillingPeriodStart,
        TRY_CAST(BilledCost AS DECIMAL(38,18)) AS v_BilledCost,
        TRY_CAST(ListCost AS DECIMAL(38,18)) AS v_ListCost,
        TRY_CAST(ConsumedQuantity AS DECIMAL(38,9)) AS v_ConsumedQuantity,
        TRY_CAST(PricingQuantity AS DECIMAL(38,9)) AS v_PricingQuantity,
        -- TRY_CAST, not json_valid(x) AND x::JSON: SQL does not promise to short-circuit, and one bad
        -- cell must reject one row, not fail the file.
        TRY_CAST(Tags AS JSON) AS v_Tags,
        TRY_CAST(SkuPriceDetails AS JSON) AS v_SkuPriceDetails
      FROM c
    )
    SELECT line,
      CASE
        WHEN ChargePeriodStart IS NULL THEN 'ChargePeriodStart is missing'
        WHEN v_ChargePeriodStart IS NULL THEN ${q('ChargePeriodStart')} || ' is not a timestamp (e.g. 2024-09-01T00:00:00Z)'
        WHEN ChargePeriodEnd IS NOT NULL AND v_ChargePeriodEnd IS NULL THEN ${q('ChargePeriodEnd')} || ' is not a timestamp (e.g. 2024-09-01T00:00:00Z)'
        WHEN NOT ${inRangeSql('v_ChargePeriodStart')} THEN ${q('ChargePeriodStart')} || ${sqlString(` ${instantRangeRule()}`)}
        WHEN v_ChargePeriodEnd IS NOT NULL AND NOT ${inRangeSql('v_ChargePeriodEnd')} THEN ${q('ChargePeriodEnd')} || ${sqlString(` ${instantRangeRule()}`)}
        WHEN BilledCost IS NULL THEN 'BilledCost is missing'
        ${badNumber('BilledCost')}
        ${badNumber('ListCost')}
        ${badNumber('ConsumedQuantity')}
        ${badNumber('PricingQuantity')}
        WHEN Tags IS NOT NULL AND coalesce(json_type(v_Tags) <> 'OBJECT', true) THEN 'Tags is not a JSON object'
      END AS reason,
      -- md5 is enough here: the key separates charges, it guards no secret.
      md5(to_json(list_value(${stamp('v_ChargePeriodStart')}, ${stamp('v_ChargePeriodEnd')}, ${dims.join(', ')}))::VARCHAR) AS dims_key,
      v_ChargePeriodStart AS charge_period_start,
      v_ChargePeriodEnd AS charge_period_end,
      coalesce(ServiceProviderName, ProviderName, PublisherName) AS provider,
      ServiceName AS service,
      coalesce(json_extract_string(v_SkuPriceDetails, '$.ModelId'), x_ModelId, x_Model, x_ModelName) AS model,
      coalesce(SkuId, SkuPriceId) AS sku,
      ChargeCategory AS charge_category,
      CASE WHEN ConsumedQuantity IS NOT NULL THEN v_ConsumedQuantity ELSE v_PricingQuantity END AS quantity,
      CASE WHEN ConsumedQuantity IS NOT NULL THEN ConsumedUnit ELSE PricingUnit END AS unit,
      v_BilledCost AS billed_cost,
      v_ListCost AS list_cost,
      upper(coalesce(BillingCurrency, 'USD')) AS currency,
      InvoiceId AS invoice_id,
      BillingAccountId AS billing_account,
      CASE WHEN json_type(v_Tags) = 'OBJECT' THEN v_Tags END AS tags
    FROM v`;
}

/** A rejected row's cells as a JSON object keyed by the file's own column names. */
function rawRowJson(raw: RawTable): string {
  return `to_json(struct_pack(${raw.columns.map((c) => `${ident(c)} := r.${ident(c)}`).join(', ')}))::VARCHAR`;
}

async function stageFocus(db: Db, file: IngestFile, source: string): Promise<StageResult> {
  await createStaging(db, 'billing');
  const parquet = file.head.startsWith('PAR1');
  let raw: RawTable;
  try {
    raw = parquet
      ? await readParquetRaw(db, file.localPath, 'focus_raw')
      : await readCsvRaw(db, file.localPath, 'focus_raw');
  } catch (e) {
    throw new DataError(
      `${file.displayPath}: cannot be read as FOCUS ${parquet ? 'Parquet' : 'CSV'}: ${((e as Error).message ?? '').split('\n')[0]}`,
    );
  }
  try {
    await db.run(`CREATE OR REPLACE TEMP TABLE focus_typed AS ${focusMappingSql(raw)}`);
    await db.run(
      `INSERT INTO staged_rejects SELECT t.line, t.reason, ${rawRowJson(raw)}
       FROM focus_typed t JOIN ${raw.table} r ON r.__line = t.line WHERE t.reason IS NOT NULL ORDER BY t.line`,
    );
    await db.run(
      `INSERT INTO staged
       SELECT ${sqlString(source)}, 'focus:' || dims_key || ':' || row_number() OVER (PARTITION BY dims_key ORDER BY line),
         charge_period_start, charge_period_end, provider, service, model, sku, charge_category, quantity, unit,
         billed_cost, list_cost, currency, invoice_id, billing_account, tags, line
       FROM focus_typed WHERE reason IS NULL ORDER BY line`,
    );
    return { rowsRead: raw.records };
  } finally {
    await db.run('DROP TABLE IF EXISTS focus_typed');
    await raw.dispose();
  }
}

export const focusAdapter: Adapter = {
  format: 'focus',
  kind: 'billing',
  description: 'FinOps FOCUS 1.0–1.2 billing export (CSV or Parquet) → billing lines',
  detect: (file) => looksLikeFocusCsv(file.head) || looksLikeFocusParquet(file.localPath, file.head),
  stage: (db, file, options) => stageFocus(db, file, options.source),
};
