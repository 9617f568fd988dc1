// Every command group, registered in the order `costctl --help` lists them. Command files import only
// light modules at the top; the database layer is loaded when an action opens it.
import type { Command } from 'commander';
import { registerAudit } from './audit.js';
import { registerBilling } from './billing.js';
import { registerEstimate } from './estimate.js';
import { registerIngest } from './ingest.js';
import { registerInit } from './init.js';
import { registerModels } from './models.js';

export const COMMAND_GROUPS: Array<(program: Command) => void> = [registerInit, registerModels, registerIngest, registerBilling, registerEstimate, registerAudit];
