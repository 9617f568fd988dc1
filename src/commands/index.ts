// Every command group, registered in the order `costctl --help` lists them. Command files import only
// light modules at the top; the database layer is loaded when an action opens it.
import type { Command } from 'commander';
import { registerAlerts } from './alerts.js';
import { registerAudit } from './audit.js';
import { registerBilling } from './billing.js';
import { registerBudgets } from './budgets.js';
import { registerCheck } from './check.js';
import { registerConfig } from './config.js';
import { registerDemo } from './demo.js';
import { registerDirectory } from './directory.js';
import { registerEstimate } from './estimate.js';
import { registerIngest } from './ingest.js';
import { registerInit } from './init.js';
import { registerModels } from './models.js';
import { registerModelsUnpriced } from './models-unpriced.js';
import { registerModelsDiscount } from './models-discount.js';
import { registerQuotas } from './quotas.js';
import { registerRecord } from './record.js';
import { registerRecords } from './records.js';
import { registerRejects } from './rejects.js';
import { registerReprice } from './reprice.js';
import { registerBackup } from './backup.js';
import { registerJobs } from './jobs.js';
import { registerOptimize } from './optimize.js';
import { registerOutbox } from './outbox.js';
import { registerReconcile } from './reconcile.js';
import { registerDashboard } from './dashboard.js';
import { registerReport } from './report.js';
import { registerServe } from './serve.js';

export const COMMAND_GROUPS: Array<(program: Command) => void> = [
  // set up and try
  registerInit,
  registerConfig,
  registerDemo,
  // prices
  registerModels,
  registerModelsUnpriced,
  registerModelsDiscount,
  registerEstimate,
  // data in
  registerIngest,
  registerRecords,
  registerRejects,
  registerReprice,
  registerBilling,
  // control
  registerDirectory,
  registerQuotas,
  registerBudgets,
  registerCheck,
  registerRecord,
  registerAlerts,
  // understand
  registerDashboard,
  registerReport,
  registerOptimize,
  registerReconcile,
  // run unattended
  registerJobs,
  registerOutbox,
  registerBackup,
  registerAudit,
  registerServe,
];
