// The interactive `init` wizard. Every question has a flag; this only runs on a terminal.
import type { InitAnswers } from '../services/setup/init.js';
import { isValidTimeZone } from '../domain/time.js';
import { UsageError } from '../errors.js';

export async function askInitAnswers(defaults: InitAnswers): Promise<InitAnswers> {
  const p = await import('@clack/prompts');
  const stop = (value: unknown) => {
    if (p.isCancel(value)) {
      p.cancel('init cancelled: nothing written');
      throw new UsageError('init cancelled');
    }
  };
  p.intro('costctl init');
  const db = await p.text({
    message: 'Database file',
    initialValue: defaults.db,
    validate: (v) => (v ? undefined : 'a path is required'),
  });
  stop(db);
  const tz = await p.text({
    message: 'Reporting time zone (IANA)',
    initialValue: defaults.tz,
    validate: (v) => (v && isValidTimeZone(v) ? undefined : 'an IANA zone such as UTC or Europe/Berlin'),
  });
  stop(tz);
  const currency = await p.text({
    message: 'Currency',
    initialValue: defaults.currency,
    validate: (v) => (v && /^[A-Z]{3}$/.test(v) ? undefined : 'a 3-letter code such as USD'),
  });
  stop(currency);
  const importCatalog = await p.confirm({
    message: 'Import the bundled LiteLLM price catalog (2,300+ models)?',
    initialValue: defaults.importCatalog,
  });
  stop(importCatalog);
  const email = await p.select({
    message: 'Where should alert emails go?',
    options: [
      { value: 'outbox', label: 'write .eml files to a folder (no mail server needed)' },
      { value: 'smtp', label: 'send through an SMTP server' },
    ],
    initialValue: defaults.smtpUrl ? 'smtp' : 'outbox',
  });
  stop(email);
  let smtpUrl: string | undefined;
  let outboxDir: string | undefined;
  if (email === 'smtp') {
    const url = await p.text({
      message: 'SMTP URL (smtp://user@host:587 — put the password in COSTCTL_SMTP_PASSWORD)',
      initialValue: defaults.smtpUrl ?? 'smtp://localhost:25',
      validate: (v) => (v && /^smtps?:\/\//.test(v) ? undefined : 'must start with smtp:// or smtps://'),
    });
    stop(url);
    smtpUrl = url as string;
  } else {
    const dir = await p.text({ message: 'Outbox folder', initialValue: defaults.outboxDir ?? './costctl-outbox' });
    stop(dir);
    outboxDir = dir as string;
  }
  p.outro(`writing ${defaults.configPath}`);
  return {
    ...defaults,
    db: db as string,
    tz: tz as string,
    currency: currency as string,
    importCatalog: Boolean(importCatalog),
    smtpUrl,
    outboxDir,
  };
}
