// A quota as `costctl quotas list --json` prints it and the API's quota routes answer: one shape for both.
import { type Quota, scopeLabel } from './quotas.js';

export function quotaJson(q: Quota) {
  return {
    name: q.name,
    scope: scopeLabel(q.scope),
    metric: q.metric,
    period: q.period,
    limit: q.limit,
    daily_limit: q.dailyLimit,
    hourly_limit: q.hourlyLimit,
    warning_threshold: q.warning,
    critical_threshold: q.critical,
    extra_thresholds: q.extraThresholds,
    enforcement: q.enforcement,
    model: q.model,
    notify: q.recipients,
    created_at: q.createdAt,
    updated_at: q.updatedAt,
  };
}
