// What an alert is: its kinds, states and severities, and the stored alert as every layer sees it
// (raised by services/alerts, mailed by notify/, shown by commands/).

export const ALERT_TYPES = [
  'quota_warning',
  'quota_critical',
  'quota_exceeded',
  'quota_threshold',
  'budget_warning',
  'budget_exceeded',
  'threshold',
  'unpriced_usage',
  'anomaly',
  'reconciliation_mismatch',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type Severity = 'info' | 'warning' | 'critical';

export interface Alert {
  id: number;
  type: AlertType;
  subject: string;
  window_start: string;
  window_end: string | null;
  severity: Severity;
  status: AlertStatus;
  title: string;
  message: string;
  observed: string | null;
  threshold: string | null;
  details: unknown;
  recipients: string[];
  created_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution_note: string | null;
}
