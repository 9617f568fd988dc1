// Interactive `quotas add`: asks only for what the flags left out. Loaded lazily, and only when a person
// is at a terminal; every answer here is also a flag, so scripts never need it.
import { UsageError } from '../errors.js';
import { parseDecimal } from '../domain/money.js';
import { PERIODS } from '../domain/windows.js';

export interface QuotaAnswers {
  name?: string;
  scope?: string;
  period?: string;
  limit?: string;
}

export async function askQuota(given: QuotaAnswers): Promise<Required<QuotaAnswers>> {
  const p = await import('@clack/prompts');
  const cancelled = (v: unknown): v is symbol => p.isCancel(v);
  const stop = () => {
    p.cancel('no quota added');
    throw new UsageError(
      'quotas add: cancelled; give NAME, --scope, --period and --limit as flags to skip the questions',
    );
  };
  p.intro('New quota');
  const name =
    given.name ??
    (await p.text({
      message: 'Name',
      placeholder: 'sales-east-monthly',
      validate: (v) => (v ? undefined : 'a name is required'),
    }));
  if (cancelled(name)) stop();
  const scope =
    given.scope ??
    (await p.text({
      message: 'Scope (TYPE:VALUE or global)',
      placeholder: 'department:sales-east',
      validate: (v) => (v ? undefined : 'a scope is required'),
    }));
  if (cancelled(scope)) stop();
  const period =
    given.period ??
    (await p.select({
      message: 'Period',
      options: PERIODS.map((value) => ({ value, label: value })),
      initialValue: 'monthly',
    }));
  if (cancelled(period)) stop();
  const limit =
    given.limit ??
    (await p.text({
      message: 'Limit (USD for cost quotas)',
      validate: (v) => {
        const d = v ? parseDecimal(v) : undefined;
        return d && !d.isNegative() ? undefined : 'a decimal number ≥ 0, e.g. 500';
      },
    }));
  if (cancelled(limit)) stop();
  p.outro('ok');
  return { name: String(name), scope: String(scope), period: String(period), limit: String(limit) };
}
