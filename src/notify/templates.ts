// Email content: every message has a plain-text part and an HTML part built from the same data.
import { Decimal, formatMoney } from '../domain/money.js';
import type { Alert } from '../services/alerts.js';
import { escapeHtml, htmlBars, htmlPage, htmlTable, textBars, textTable, type Bar, type TableSpec } from './html.js';
import type { EmailContent } from './outbox.js';
import { headerValue } from './sanitize.js';

export interface ReportSection {
  heading: string;
  lines?: string[];
  table?: TableSpec;
  bars?: Bar[];
}

export interface ReportDoc {
  /** Subject line after `[costctl] `; also the page title. */
  title: string;
  summary: string[];
  sections: ReportSection[];
}

export function subjectLine(text: string): string {
  return headerValue(`[costctl] ${text}`, 250);
}

export function renderReport(doc: ReportDoc): EmailContent {
  const text: string[] = [doc.title, '='.repeat(Math.min(doc.title.length, 78)), '', ...doc.summary];
  let html = doc.summary.map((l) => `<p style="margin:4px 0;">${escapeHtml(l)}</p>`).join('');
  for (const s of doc.sections) {
    text.push('', s.heading, '-'.repeat(Math.min(s.heading.length, 78)));
    html += `<h3 style="font-size:15px;margin:16px 0 4px 0;">${escapeHtml(s.heading)}</h3>`;
    for (const l of s.lines ?? []) {
      text.push(l);
      html += `<p style="margin:4px 0;">${escapeHtml(l)}</p>`;
    }
    if (s.bars?.length) {
      text.push(textBars(s.bars));
      html += htmlBars(s.bars);
    }
    if (s.table) {
      if (s.table.rows.length) {
        text.push(textTable(s.table));
        html += htmlTable(s.table);
      } else {
        text.push('(none)');
        html += '<p style="margin:4px 0;color:#6b7280;">(none)</p>';
      }
    }
  }
  text.push('', '-- ', 'Sent by costctl.');
  return { subject: subjectLine(doc.title), text: `${text.join('\n')}\n`, html: htmlPage(doc.title, html) };
}

const SEVERITY_COLOR: Record<string, string> = { critical: '#dc2626', warning: '#d97706', info: '#2563eb' };

/** Share of the threshold reached, as a whole percent, when both figures are known and the threshold is positive. */
export function percentOf(observed: string | null, threshold: string | null): number | undefined {
  if (observed === null || threshold === null) return undefined;
  const t = new Decimal(threshold);
  if (t.lte(0)) return undefined;
  return new Decimal(observed).div(t).times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

export function alertEmail(alert: Alert, currency = 'USD'): EmailContent {
  const severity = alert.severity.toUpperCase();
  const subject = subjectLine(`${severity}: ${alert.title}`);
  const money = (v: string | null) => (v === null ? '—' : formatMoney(v, currency));
  const facts: [string, string][] = [
    ['Severity', severity],
    ['Type', alert.type],
    ['Subject', alert.subject],
    ['Window', `${alert.window_start}${alert.window_end ? ` … ${alert.window_end}` : ''}`],
    ['Observed', money(alert.observed)],
    ['Threshold', money(alert.threshold)],
    ['Raised at', alert.created_at],
    ['Alert id', String(alert.id)],
  ];
  const pct = percentOf(alert.observed, alert.threshold);
  const table: TableSpec = { columns: ['', ''], rows: facts.map(([k, v]) => [k, v]) };
  const text = [
    `${severity}: ${alert.title}`,
    '',
    alert.message,
    '',
    ...facts.map(([k, v]) => `${k.padEnd(10)} ${v}`),
    ...(pct !== undefined ? ['', `Used ${pct}% of the threshold: [${'#'.repeat(Math.min(40, Math.round(pct / 5))).padEnd(20, '.')}]`] : []),
    '',
    `Acknowledge with: costctl alerts ack ${alert.id}`,
    '',
    '-- ',
    'Sent by costctl.',
  ].join('\n');
  const color = SEVERITY_COLOR[alert.severity] ?? '#2563eb';
  const gauge =
    pct === undefined
      ? ''
      : `<table role="presentation" cellspacing="0" cellpadding="0" style="width:320px;border:1px solid #d1d5db;margin:8px 0;"><tr>` +
        `<td style="padding:0;"><div style="background:${color};height:14px;width:${Math.min(100, pct)}%;"></div></td></tr></table>` +
        `<p style="margin:4px 0;">${pct}% of the threshold</p>`;
  const html = htmlPage(
    `${severity}: ${alert.title}`,
    `<p style="margin:4px 0;padding:6px 8px;border-left:4px solid ${color};">${escapeHtml(alert.message)}</p>${gauge}${htmlTable(table)}` +
      `<p style="margin:8px 0;">Acknowledge with <code>costctl alerts ack ${alert.id}</code></p>`,
  );
  return { subject, text: `${text}\n`, html };
}
