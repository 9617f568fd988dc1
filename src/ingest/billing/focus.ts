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
import { DataError } from '../../cli/errors.js';
import type { Db } from '../../db/database.js';
import type { Adapter, IngestFile, StageResult } from '../types.js';
import { createStaging, ident, readCsvRaw, readParquetRaw, sqlString, type RawTable } from './staging.js';

const REQUIRED_HEADERS = ['billedcost', 'chargeperiodstart', 'billingcurrency'];

/** The header cells of a CSV's first line, lower-cased and unquoted. */
export function csvHeaderCells(head: string): string[] {
  const first = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return first.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1').toLowerCase());
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

/** Builds the SQL that maps one raw (all-text) FOCUS table into staged rows and rejects. */
export function focusMappingSql(raw: RawTable): { typed: string } {
  const byLower = new Map(raw.columns.map((c) => [c.toLowerCase(), c]));
  const col = (name: string) => {
    const found = byLower.get(name.toLowerCase());
    return found ? `trim(r.${ident(found)})` : 'NULL::VARCHAR';
  };
  const ts = (name: string) => `TRY_CAST(${col(name)} AS TIMESTAMPTZ)::TIMESTAMP`;
  const dec = (name: string, type = 'DECIMAL(38,18)') => `TRY_CAST(${col(name)} AS ${type})`;
  const quoted = (name: string) => `'${name} "' || ${col(name)} || '"'`;
  const badNumber = (name: string, type = 'DECIMAL(38,18)') =>
    `WHEN ${col(name)} IS NOT NULL AND ${dec(name, type)} IS NULL THEN ${quoted(name)} || ' is not a number'`;
  // TRY_CAST, not json_valid(x) AND …: SQL does not promise to short-circuit, and a bad cell must not fail the file.
  const jsonObject = (name: string) => `coalesce(json_type(TRY_CAST(${col(name)} AS JSON)) = 'OBJECT', false)`;
  const xModel = ['x_ModelId', 'x_Model', 'x_ModelName'].map(col).join(', ');
  const skuDetails = col('SkuPriceDetails');
  const consumed = col('ConsumedQuantity');

  const reason = `CASE
      WHEN ${col('ChargePeriodStart')} IS NULL THEN 'ChargePeriodStart is missing'
      WHEN ${ts('ChargePeriodStart')} IS NULL THEN ${quoted('ChargePeriodStart')} || ' is not a timestamp (e.g. 2024-09-01T00:00:00Z)'
      WHEN ${col('ChargePeriodEnd')} IS NOT NULL AND ${ts('ChargePeriodEnd')} IS NULL THEN ${quoted('ChargePeriodEnd')} || ' is not a timestamp (e.g. 2024-09-01T00:00:00Z)'
      WHEN ${col('BilledCost')} IS NULL THEN 'BilledCost is missing'
      ${badNumber('BilledCost')}
      ${badNumber('ListCost')}
      ${badNumber('ConsumedQuantity', 'DECIMAL(38,9)')}
      ${badNumber('PricingQuantity', 'DECIMAL(38,9)')}
      WHEN ${col('Tags')} IS NOT NULL AND NOT ${jsonObject('Tags')} THEN 'Tags is not a JSON object'
    END`;

  const dims = KEY_DIMENSIONS.map((d) => (d === 'BillingPeriodStart' ? `strftime(${ts(d)}, '%Y-%m-%d %H:%M:%S')` : col(d)));
  const dimsKey = `sha256(to_json(list_value(strftime(${ts('ChargePeriodStart')}, '%Y-%m-%d %H:%M:%S'), strftime(${ts('ChargePeriodEnd')}, '%Y-%m-%d %H:%M:%S'), ${dims.join(', ')}))::VARCHAR)`;
  const rawJson = `to_json(struct_pack(${raw.columns.map((c) => `${ident(c)} := r.${ident(c)}`).join(', ')}))::VARCHAR`;

  const typed = `
    SELECT r.__line AS line, ${reason} AS reason, ${rawJson} AS raw,
      left(${dimsKey}, 32) AS dims_key,
      ${ts('ChargePeriodStart')} AS charge_period_start,
      ${ts('ChargePeriodEnd')} AS charge_period_end,
      coalesce(${col('ServiceProviderName')}, ${col('ProviderName')}, ${col('PublisherName')}) AS provider,
      ${col('ServiceName')} AS service,
      coalesce(json_extract_string(TRY_CAST(${skuDetails} AS JSON), '$.ModelId'), ${xModel}) AS model,
      coalesce(${col('SkuId')}, ${col('SkuPriceId')}) AS sku,
      ${col('ChargeCategory')} AS charge_category,
      CASE WHEN ${consumed} IS NOT NULL THEN ${dec('ConsumedQuantity', 'DECIMAL(38,9)')} ELSE ${dec('PricingQuantity', 'DECIMAL(38,9)')} END AS quantity,
      CASE WHEN ${consumed} IS NOT NULL THEN ${col('ConsumedUnit')} ELSE ${col('PricingUnit')} END AS unit,
      ${dec('BilledCost')} AS billed_cost,
      ${dec('ListCost')} AS list_cost,
      upper(coalesce(${col('BillingCurrency')}, 'USD')) AS currency,
      ${col('InvoiceId')} AS invoice_id,
      ${col('BillingAccountId')} AS billing_account,
      CASE WHEN ${jsonObject('Tags')} THEN TRY_CAST(${col('Tags')} AS JSON) END AS tags
    FROM ${raw.table} AS r`;
  return { typed };
}

async function stageFocus(db: Db, file: IngestFile, source: string): Promise<StageResult> {
  await createStaging(db, 'billing');
  const parquet = file.head.startsWith('PAR1');
  let raw: RawTable;
  try {
    raw = parquet ? await readParquetRaw(db, file.localPath, 'focus_raw') : await readCsvRaw(db, file.localPath, 'focus_raw');
  } catch (e) {
    throw new DataError(`${file.displayPath}: cannot be read as FOCUS ${parquet ? 'Parquet' : 'CSV'}: ${((e as Error).message ?? '').split('\n')[0]}`);
  }
  try {
    const { typed } = focusMappingSql(raw);
    await db.run(`CREATE OR REPLACE TEMP TABLE focus_typed AS ${typed}`);
    await db.run(`INSERT INTO staged_rejects SELECT line, reason, raw FROM focus_typed WHERE reason IS NOT NULL`);
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
    await db.run('DROP TABLE IF EXISTS focus_raw');
  }
}

export const focusAdapter: Adapter = {
  format: 'focus',
  kind: 'billing',
  description: 'FinOps FOCUS 1.0–1.2 billing export (CSV or Parquet) → billing lines',
  detect: (file) => looksLikeFocusCsv(file.head) || looksLikeFocusParquet(file.localPath, file.head),
  stage: (db, file, options) => stageFocus(db, file, options.source),
};
