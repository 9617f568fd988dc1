// Every command group, registered in the order `costctl --help` lists them. Command files import only
// light modules at the top; the database layer is loaded when an action opens it.
import type { Command } from 'commander';
import { registerAlerts } from './alerts.js';
import { registerAudit } from './audit.js';
import { registerBilling } from './billing.js';
import { registerBudgets } from './budgets.js';
import { registerCheck } from './check.js';
import { registerDirectory } from './directory.js';
import { registerEstimate } from './estimate.js';
import { registerIngest } from './ingest.js';
import { registerInit } from './init.js';
import { registerModels } from './models.js';
import { registerQuotas } from './quotas.js';
import { registerRecord } from './record.js';

export const COMMAND_GROUPS: Array<(program: Command) => void> = [registerInit, registerModels, registerIngest, registerBilling, registerDirectory, registerQuotas, registerBudgets, registerCheck, registerRecord, registerAlerts, registerEstimate, registerAudit];
