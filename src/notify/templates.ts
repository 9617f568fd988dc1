// Email content: every message has a plain-text part and an HTML part built from the same data.
import { Decimal, formatMoney } from '../domain/money.js';
import type { Alert } from '../domain/alerts.js';
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

/** `part` as a whole percent of `whole`, when both are known and `whole` is positive. */
export function percentOf(part: string | null | undefined, whole: string | null | undefined): number | undefined {
  if (part === null || part === undefined || whole === null || whole === undefined) return undefined;
  const w = new Decimal(whole);
  if (w.lte(0)) return undefined;
  return new Decimal(part).div(w).times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

export interface AlertHeadline {
  /** What and how bad, for the subject: `sales-east monthly quota at 96% ($4,812.10 of $5,000.00)`. */
  text: string;
  /** Used as a share of the limit (not of the warning threshold), for the gauge. */
  percent?: number;
  used?: string;
  limit?: string;
}

/**
 * Quota and budget alerts carry used/limit in their details; the headline is built from those so the
 * subject says how bad it is. Anything else keeps the alert's own title and observed vs threshold.
 */
export function alertHeadline(alert: Alert, currency = 'USD'): AlertHeadline {
  const d = (alert.details ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  if (str(d.quota) && str(d.limit) && str(d.used)) {
    const isCost = d.metric === undefined || d.metric === 'cost';
    const fmt = (v: string) => (isCost ? formatMoney(v, currency) : `${new Decimal(v).toFixed()} ${String(d.metric)}`);
    // alert-eval titles read "Quota NAME STATE: PERIOD METRIC at P%"; the period is the first word.
    const period =
      d.limit_kind === 'period' ? (/: (\S+) \S+ at /.exec(alert.title)?.[1] ?? '') : String(d.limit_kind ?? '');
    const percent = percentOf(str(d.used), str(d.limit));
    return {
      text: `${str(d.quota)} ${period ? `${period} ` : ''}quota at ${percent ?? '∞'}% (${fmt(str(d.used)!)} of ${fmt(str(d.limit)!)})`,
      percent,
      used: fmt(str(d.used)!),
      limit: fmt(str(d.limit)!),
    };
  }
  if (str(d.budget) && str(d.limit) && str(d.spent)) {
    const percent = percentOf(str(d.spent), str(d.limit));
    const m = (v: string) => formatMoney(v, currency);
    const part = str(d.allocation) && d.allocation !== 'total' ? ` (${str(d.allocation)})` : '';
    return {
      text: `${str(d.budget)}${part} budget at ${percent ?? '∞'}% (${m(str(d.spent)!)} of ${m(str(d.limit)!)})`,
      percent,
      used: m(str(d.spent)!),
      limit: m(str(d.limit)!),
    };
  }
  // An anomaly's expected cost is no limit: no gauge, no "of the threshold".
  if (alert.type === 'anomaly') return { text: alert.title, percent: undefined };
  return { text: alert.title, percent: percentOf(alert.observed, alert.threshold) };
}

const severityWord = (alert: Alert) =>
  alert.type === 'quota_exceeded' || alert.type === 'budget_exceeded' ? 'EXCEEDED' : alert.severity.toUpperCase();

/** `warning (80%)`: the threshold an alert stands for, from its type and the percentage in its details. */
function thresholdLabel(alert: Alert): string {
  const pct = (alert.details as { threshold_pct?: unknown } | null)?.threshold_pct;
  const level = alert.type.replace(/^(quota|budget)_/, '');
  if (typeof pct !== 'string') return level;
  // A quota's extra threshold is only its percentage: `50%`.
  return alert.type === 'quota_threshold'
    ? `${new Decimal(pct).toFixed()}%`
    : `${level} (${new Decimal(pct).toFixed()}%)`;
}

/**
 * The email about one alert. `crossed` lists every alert of the same subject and window this message
 * covers (lowest threshold first, `alert` the last and most severe): one email names every threshold
 * that one evaluation crossed.
 */
export function alertEmail(alert: Alert, currency = 'USD', crossed: readonly Alert[] = [alert]): EmailContent {
  // "How bad" in the subject: a limit that is already past says so, rather than CRITICAL.
  const severity = severityWord(alert);
  const headline = alertHeadline(alert, currency);
  const several = crossed.length > 1;
  const subject = subjectLine(
    `${severity}: ${headline.text}${several ? `; crossed ${crossed.map(thresholdLabel).join(', ')}` : ''}`,
  );
  const money = (v: string | null) => (v === null ? '—' : formatMoney(v, currency));
  const crossings: TableSpec = {
    columns: ['Threshold crossed', 'At', 'Alert id'],
    numeric: [false, true, true],
    rows: crossed.map((a) => [thresholdLabel(a), money(a.threshold), String(a.id)]),
  };
  const facts: [string, string][] = [
    ['Severity', severity],
    ['Alert', alert.title],
    ['Type', alert.type],
    ['Subject', alert.subject],
    ['Window', `${alert.window_start}${alert.window_end ? ` … ${alert.window_end}` : ''}`],
    ...(headline.used
      ? ([
          ['Used', headline.used],
          ['Limit', headline.limit!],
        ] as [string, string][])
      : []),
    [alert.type === 'anomaly' ? 'Actual' : 'Observed', money(alert.observed)],
    [alert.type === 'anomaly' ? 'Expected' : 'Threshold', money(alert.threshold)],
    ['Raised at', alert.created_at],
    ['Alert id', String(alert.id)],
  ];
  const pct = headline.percent;
  const of = headline.used ? 'of the limit' : 'of the threshold';
  const table: TableSpec = { columns: ['', ''], rows: facts.map(([k, v]) => [k, v]) };
  const text = [
    `${severity}: ${headline.text}`,
    '',
    alert.message,
    ...(several ? ['', textTable(crossings)] : []),
    '',
    ...facts.map(([k, v]) => `${k.padEnd(10)} ${v}`),
    ...(pct !== undefined
      ? ['', `Used ${pct}% ${of}: [${'#'.repeat(Math.min(20, Math.round(pct / 5))).padEnd(20, '.')}]`]
      : []),
    '',
    `Acknowledge with: ${crossed.map((a) => `costctl alerts ack ${a.id}`).join('; ')}`,
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
        `<p style="margin:4px 0;">${pct}% ${of}</p>`;
  const html = htmlPage(
    `${severity}: ${headline.text}`,
    `<p style="margin:4px 0;padding:6px 8px;border-left:4px solid ${color};">${escapeHtml(alert.message)}</p>${gauge}${htmlTable(table)}` +
      `<p style="margin:8px 0;">Acknowledge with <code>costctl alerts ack ${alert.id}</code></p>`,
  );
  return { subject, text: `${text}\n`, html };
}
