// What a catalog import or sync did, as lines for a person and as JSON.
import type { ImportReport } from '../services/prices/import/apply.js';

const few = (names: string[], n = 20) => `${names.slice(0, n).join(', ')}${names.length > n ? ', …' : ''}`;

export function renderImportReport(where: string, report: ImportReport): string {
  const lines = [
    `${where} (${report.source}): ${report.added.length} added, ${report.changed.length} changed, ${report.unchanged} unchanged, ${report.skipped.length} skipped`,
  ];
  if (report.changed.length) lines.push(`changed: ${few(report.changed)}`);
  if (report.dated.length) lines.push(`dated versions: ${few(report.dated)}`);
  if (report.kept.length) lines.push(`kept the operator's own prices (models update): ${few(report.kept)}`);
  const reasons = new Map<string, number>();
  for (const s of report.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) lines.push(`skipped ${n}: ${reason}`);
  const unheld = Object.entries(report.unrepresentable).sort((a, b) => b[1] - a[1]);
  for (const [feature, n] of unheld) lines.push(`not applied (no price field yet) ${n} model(s): ${feature}`);
  lines.push(...newlyPricedLines(report));
  return lines.join('\n');
}

export function newlyPricedLines(report: Pick<ImportReport, 'newlyPriced'>): string[] {
  if (report.newlyPriced.length === 0) return [];
  const rows = report.newlyPriced.reduce((n, m) => n + m.rows, 0);
  const names = few(
    report.newlyPriced.map((m) => (m.model === m.pricedBy ? m.model : `${m.model} (as ${m.pricedBy})`)),
  );
  return [
    `${rows} stored usage row(s) were loaded unpriced and can now be priced: ${names}`,
    'their stored costs are unchanged; run `costctl reprice` to cost them',
  ];
}

export function importReportJson(where: string, report: ImportReport) {
  return { file: where, ...report, added: report.added.length };
}
