// Email building blocks, table-driven: header sanitizing, SMTP settings from config, templates.
import { DEFAULT_INSTANT_RANGE } from '../../src/domain/ingest-bounds.js';
import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/config/config.js';
import { barPercents, escapeHtml } from '../../src/notify/html.js';
import { cleanRecipients, headerValue, parseSender } from '../../src/notify/sanitize.js';
import { deliveryFromConfig, describeDelivery } from '../../src/notify/smtp-config.js';
import { alertEmail, alertHeadline, renderReport } from '../../src/notify/templates.js';
import type { Alert } from '../../src/domain/alerts.js';

describe('headerValue', () => {
  it.each([
    ['plain', 'plain'],
    ['evil\r\nBcc: attacker@example.com', 'evil Bcc: attacker@example.com'],
    ['a\nb\rc\u2028d', 'a b c d'],
    ['  tabs\tand   spaces  ', 'tabs and spaces'],
  ])('%j → %j', (input, output) => {
    expect(headerValue(input)).toBe(output);
  });

  it('caps the length', () => {
    expect(headerValue('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('parseSender', () => {
  it.each([
    ['costctl@example.com', { address: 'costctl@example.com' }],
    ['costctl <costctl@example.com>', { name: 'costctl', address: 'costctl@example.com' }],
    ['"Cost Control" <cc@example.com>', { name: 'Cost Control', address: 'cc@example.com' }],
    ['costctl <costctl@localhost>', { name: 'costctl', address: 'costctl@localhost' }],
  ])('%s is a sender', (text, parsed) => {
    expect(parseSender(text)).toEqual(parsed);
  });

  it.each(['not an address', 'a@b\r\nBcc: c@d', '<>', 'x <a@b> <c@d>', ''])('%j is refused', (text) => {
    expect(parseSender(text)).toBeUndefined();
  });
});

describe('cleanRecipients', () => {
  it('keeps good addresses once and reports the bad ones', () => {
    expect(cleanRecipients(['ops@example.com', ' ops@example.com', 'x\r\n@y', 'nobody', 'cfo@example.com'])).toEqual({
      good: ['ops@example.com', 'cfo@example.com'],
      bad: ['x\r\n@y', 'nobody'],
    });
  });
});

function config(
  partial: Partial<ResolvedConfig['smtp']> & { outboxDir?: string; configFile?: string } = {},
): ResolvedConfig {
  return {
    db: 'x.duckdb',
    tz: 'UTC',
    currency: 'USD',
    lockTimeoutMs: 1000,
    outboxDir: partial.outboxDir ?? '/tmp/outbox',
    alertRecipients: [],
    holidays: [],
    smtp: { url: partial.url, from: partial.from ?? 'costctl <costctl@localhost>', password: partial.password },
    jobs: {},
    acceptedInstants: DEFAULT_INSTANT_RANGE,
    accepted: {},
    configFile: partial.configFile,
    configPath: partial.configFile ?? '/nonexistent/config.json',
    origins: {} as ResolvedConfig['origins'],
  };
}

describe('deliveryFromConfig', () => {
  it('no SMTP URL → .eml files in the outbox folder', () => {
    expect(deliveryFromConfig(config(), {})).toEqual({
      kind: 'file',
      dir: '/tmp/outbox',
      from: 'costctl <costctl@localhost>',
    });
  });

  it.each([
    [
      'smtp://mail.example.com',
      { host: 'mail.example.com', port: 587, secure: false, user: undefined, password: undefined },
    ],
    ['smtps://mail.example.com', { host: 'mail.example.com', port: 465, secure: true }],
    ['smtp://bot:s%40cret@127.0.0.1:2525', { host: '127.0.0.1', port: 2525, user: 'bot', password: 's@cret' }],
  ])('%s', (url, expected) => {
    expect(deliveryFromConfig(config({ url }), { COSTCTL_SMTP_URL: url })).toMatchObject({ kind: 'smtp', ...expected });
  });

  it('takes the password from COSTCTL_SMTP_PASSWORD when the URL has none, and never describes it', () => {
    const d = deliveryFromConfig(config({ url: 'smtp://bot@mail.example.com:25', password: 'hunter2' }), {});
    expect(d).toMatchObject({ user: 'bot', password: 'hunter2' });
    expect(describeDelivery(d)).toBe('smtp://bot:***@mail.example.com:25');
    expect(describeDelivery(d)).not.toContain('hunter2');
  });

  it.each([
    [
      { url: 'http://mail.example.com' },
      { COSTCTL_SMTP_URL: 'http://mail.example.com' },
      'COSTCTL_SMTP_URL: must start with smtp:// or smtps:// (got http://)',
    ],
    [
      { url: 'smtp://:pw@mail.example.com' },
      { COSTCTL_SMTP_URL: 'x' },
      'COSTCTL_SMTP_URL: a password is set but no user name',
    ],
    [{ url: 'not a url', configFile: '/etc/costctl.json' }, {}, '/etc/costctl.json: smtp.url: not a valid URL'],
    [{ from: 'nobody' }, { COSTCTL_SMTP_FROM: 'nobody' }, 'COSTCTL_SMTP_FROM: "nobody" is not a sender address'],
  ])('%o is a config error naming where it came from', (partial, env, message) => {
    expect(() => deliveryFromConfig(config(partial), env)).toThrow(message);
  });

  it('a bad URL error never echoes the password', () => {
    try {
      deliveryFromConfig(config({ url: 'smtp://bot:topsecret@' }), { COSTCTL_SMTP_URL: 'x' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain('topsecret');
    }
  });
});

function alert(partial: Partial<Alert>): Alert {
  return {
    id: 7,
    type: 'quota_critical',
    subject: 'quota:sales-east',
    window_start: '2026-03-01T00:00:00Z',
    window_end: '2026-04-01T00:00:00Z',
    severity: 'critical',
    status: 'open',
    title: 'Quota sales-east critical: monthly cost at 96.24%',
    message: 'Quota sales-east used $4,812.10 of $5,000.00.',
    observed: '4812.1',
    threshold: '4750',
    details: { quota: 'sales-east', limit_kind: 'period', metric: 'cost', limit: '5000', used: '4812.1' },
    recipients: [],
    created_at: '2026-03-20T10:00:00Z',
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    resolved_by: null,
    resolution_note: null,
    ...partial,
  };
}

describe('alert emails', () => {
  it.each([
    [alert({}), 'sales-east monthly quota at 96% ($4,812.10 of $5,000.00)', 96],
    [
      alert({
        type: 'quota_warning',
        title: 'Quota api-tokens warning: daily tokens at 85.00%',
        details: { quota: 'api-tokens', limit_kind: 'daily', metric: 'tokens', limit: '1000000', used: '850000' },
      }),
      'api-tokens daily quota at 85% (850000 tokens of 1000000 tokens)',
      85,
    ],
    [
      alert({
        type: 'budget_exceeded',
        title: 'Budget q1',
        details: { budget: 'q1', allocation: 'department sales', limit: '100', spent: '150.5' },
      }),
      'q1 (department sales) budget at 151% ($150.50 of $100.00)',
      151,
    ],
    [
      alert({
        type: 'anomaly',
        title: 'Cost spike on 2026-03-02',
        details: { grain: 'day' },
        observed: '30',
        threshold: '10',
      }),
      'Cost spike on 2026-03-02',
      undefined, // an expected cost is no limit: no gauge
    ],
  ])('headline of %#', (a, text, percent) => {
    expect(alertHeadline(a)).toMatchObject({ text, percent });
  });

  it('a limit already passed says EXCEEDED in the subject', () => {
    const over = alertEmail(
      alert({
        type: 'quota_exceeded',
        details: {
          quota: 'sales-east',
          limit_kind: 'period',
          period: 'monthly',
          metric: 'cost',
          limit: '5000',
          used: '5250',
        },
      }),
    );
    expect(over.subject).toBe('[costctl] EXCEEDED: sales-east monthly quota at 105% ($5,250.00 of $5,000.00)');
  });

  it('subject says severity, what and how bad; both parts carry the facts', () => {
    const mail = alertEmail(alert({}));
    expect(mail.subject).toBe('[costctl] CRITICAL: sales-east monthly quota at 96% ($4,812.10 of $5,000.00)');
    expect(mail.text).toContain('Used 96% of the limit');
    expect(mail.text).toContain('costctl alerts ack 7');
    expect(mail.html).toContain('width:96%');
    expect(mail.html).toContain('<td');
  });

  it('an anomaly email says actual vs expected: no threshold, no gauge (a drop after the data ends included)', () => {
    const mail = alertEmail(
      alert({
        type: 'anomaly',
        severity: 'warning',
        title: 'Cost: drop on 2026-03-02 01:00 … 2026-03-02 08:00 (UTC)',
        message: 'Cost nothing recorded vs $2.77 expected (has usage for this time been ingested yet?)',
        observed: '0',
        threshold: '2.77',
        details: { grain: 'hour', dimension: 'total' },
      }),
    );
    expect(mail.subject).toBe('[costctl] WARNING: Cost: drop on 2026-03-02 01:00 … 2026-03-02 08:00 (UTC)');
    expect(mail.text).toMatch(/^Actual +\$0\.00$/m);
    expect(mail.text).toMatch(/^Expected +\$2\.77$/m);
    expect(mail.text).not.toMatch(/Threshold|Used \d+%|of the threshold/);
    expect(mail.html).not.toContain('width:0%');
  });

  it('a quota name with CR/LF cannot add headers, and markup in data is escaped', () => {
    const mail = alertEmail(
      alert({
        message: '<script>alert(1)</script>',
        details: {
          quota: 'evil\r\nBcc: attacker@example.com',
          limit_kind: 'period',
          metric: 'cost',
          limit: '10',
          used: '5',
        },
      }),
    );
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
  });
});

describe('reports', () => {
  it('renders the same table and bars into text and HTML', () => {
    const mail = renderReport({
      title: 'daily digest',
      summary: ['Yesterday: $3.00.'],
      sections: [
        {
          heading: 'By provider',
          bars: [
            { label: 'openai', value: '2', display: '$2.00' },
            { label: 'anthropic', value: '1', display: '$1.00' },
          ],
        },
        { heading: 'Alerts', table: { columns: ['id', 'alert'], rows: [['1', 'R&D <over>']] } },
        { heading: 'Empty', table: { columns: ['x'], rows: [] } },
      ],
    });
    expect(mail.subject).toBe('[costctl] daily digest');
    expect(mail.text).toMatch(/openai {5}#{20} {2}\$2\.00/);
    expect(mail.text).toMatch(/anthropic {2}#{10} {12}\$1\.00/);
    expect(mail.html).toContain('width:100%');
    expect(mail.html).toContain('width:50%');
    expect(mail.html).toContain('R&amp;D &lt;over&gt;');
    expect(mail.text).toContain('(none)');
    expect(mail.html).not.toMatch(/<img|<script|https?:/i);
  });

  it.each([
    [
      ['1', '3'],
      [33, 100],
    ],
    [
      ['0', '0'],
      [0, 0],
    ],
    [
      ['0.005', '0.01', '-1'],
      [50, 100, 0],
    ],
  ])('bar percents of %j', (values, pct) => {
    expect(barPercents(values.map((v) => ({ label: v, value: v, display: v })))).toEqual(pct);
  });

  it('escapeHtml', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
