// The demo's controls: department quotas and a company budget for 2026, set so the demo data sits at
// every threshold state (ok, warning, critical, exceeded) and the threshold job has alerts to email.
import { Decimal } from '../../domain/money.js';
import { addBudget } from '../limits/budgets.js';
import type { DemoStep } from './demo-step.js';
import { addQuota, QUOTA_DEFAULTS, type QuotaSpec } from '../limits/quotas.js';
import { evaluateQuotas } from '../limits/status.js';

type DemoQuota = Pick<QuotaSpec, 'name' | 'period' | 'enforcement'> & {
  department: string;
  limit: string;
  daily?: string;
};

// 2026 spend by department in the demo data (report dist --by department): sales-west 11.21,
// customer-success 10.54, sales-east 9.88, marketing 3.63. The limits put them at ~82 %, ~97 %, >100 %, <80 %.
const QUOTAS: DemoQuota[] = [
  { name: 'sales-east-2026', department: 'sales-east', period: 'yearly', limit: '12', enforcement: 'hard' },
  { name: 'sales-west-2026', department: 'sales-west', period: 'yearly', limit: '11.5', enforcement: 'soft' },
  { name: 'customer-success-2026', department: 'customer-success', period: 'yearly', limit: '10', enforcement: 'hard' },
  {
    name: 'marketing-monthly',
    department: 'marketing',
    period: 'monthly',
    limit: '5',
    daily: '1',
    enforcement: 'hard',
  },
];

export const controlsDemoStep: DemoStep = {
  name: 'controls',
  run: async ({ db, now }) => {
    for (const q of QUOTAS) {
      await addQuota(
        db,
        {
          ...QUOTA_DEFAULTS,
          name: q.name,
          scope: { type: 'department', value: q.department },
          period: q.period,
          limit: new Decimal(q.limit),
          dailyLimit: q.daily ? new Decimal(q.daily) : null,
          hourlyLimit: null,
          enforcement: q.enforcement,
          model: null,
          recipients: [`${q.department}-lead@acme.example`],
        },
        now,
      );
    }
    await addBudget(
      db,
      {
        name: 'ai-2026',
        period: 'yearly',
        total: new Decimal(120),
        allocations: [
          { targetType: 'department', target: 'sales-east', amount: new Decimal(40) },
          { targetType: 'department', target: 'sales-west', amount: new Decimal(40) },
          { targetType: 'department', target: 'customer-success', amount: new Decimal(30) },
        ],
        warning: new Decimal('0.8'),
        enforcement: 'soft',
        recipients: ['finance@acme.example'],
      },
      now,
    );
    const states = new Map<string, number>();
    for (const s of await evaluateQuotas(db, { at: now, tz: 'UTC' }))
      states.set(s.state, (states.get(s.state) ?? 0) + 1);
    const summary = ['ok', 'warning', 'critical', 'exceeded'].map((k) => `${states.get(k) ?? 0} ${k}`).join(', ');
    return `controls: ${QUOTAS.length} department quotas (${summary}), 1 budget`;
  },
};
