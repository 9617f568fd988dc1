// The library entry (`import { CostctlClient } from 'costctl'`): a typed client for a running
// `costctl serve`. A gateway checks and records through the server rather than opening the database
// itself, which would hold the file's lock and lock out the operators' CLI and the scheduled jobs.
export {
  CostctlApiError,
  CostctlClient,
  type CheckRequestBody,
  type CheckResponse,
  type RecordBody,
  type RecordResponse,
} from './services/serve/client.js';
