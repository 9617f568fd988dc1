// What each role may call. A gateway: the pre-call check, records, estimates. A viewer: the reads (GET
// under /api/v1/cost, the status and the OpenAPI document). An admin: everything, including the CLI's
// door and resolving alerts. A route not named here is an admin's only, so a new route is closed by default.
import type { Role } from './tokens.js';

const GATEWAY = new Set(['POST /api/v1/cost/check', 'POST /api/v1/cost/records', 'POST /api/v1/cost/estimate']);
const ANYONE = new Set(['GET /api/v1/openapi.json', 'GET /api/v1/status']);

/** Whether `role` may make this request (`path` without its query string). */
export function roleAllows(role: Role, method: string, path: string): boolean {
  const call = `${method.toUpperCase()} ${path.replace(/\/+$/, '')}`;
  if (role === 'admin' || ANYONE.has(call)) return true;
  if (role === 'gateway') return GATEWAY.has(call);
  return method.toUpperCase() === 'GET' && path.startsWith('/api/v1/cost/');
}

/** The roles that may make the request, for a 403's message. */
export function rolesFor(method: string, path: string): Role[] {
  return (['gateway', 'viewer', 'admin'] as const).filter((r) => roleAllows(r, method, path));
}
