// Test-control API under /_emulator/ (faults, request log, reset, refresh tokens); the Emulator object calls the same functions.
import type { EmulatorContext } from './context.js';
import { parseFaultInjection } from './faultInput.js';
import { emptyReply, jsonReply, type Reply } from './http.js';
import { stableGuid } from './ids.js';
import { asRecord, EmulatorInputError, parseJson, requireString, requireStringArray } from './validation.js';

export interface RefreshTokenRequest {
  /** Tenant GUID or verified domain. */
  readonly tenantId: string;
  readonly clientId: string;
  /** Scopes the user consented to, e.g. `["https://graph.microsoft.com/User.Read", "offline_access"]`. */
  readonly scopes: readonly string[];
}

/** Validates and queues faults; returns how many were queued. */
export function injectFaults(ctx: EmulatorContext, value: unknown): number {
  const injection = parseFaultInjection(value);
  ctx.faults.push(injection);
  return injection.responses.length;
}

/** A refresh token for a fake user of the tenant (one user per tenant). */
export function mintRefreshToken(ctx: EmulatorContext, request: RefreshTokenRequest): string {
  const tenant = ctx.directory.findTenant(request.tenantId);
  if (!tenant) throw new EmulatorInputError(`Unknown tenant '${request.tenantId}'`);
  const app = ctx.directory.findApp(tenant, request.clientId);
  if (!app) throw new EmulatorInputError(`Unknown client '${request.clientId}' in tenant '${tenant.id}'`);
  return ctx.refreshTokens.issue({
    tenantId: tenant.id,
    clientId: app.clientId,
    userId: stableGuid(`user:${tenant.id}`),
    scopes: [...request.scopes],
  });
}

/** Clears queued faults and the request log. */
export function resetEmulator(ctx: EmulatorContext): void {
  ctx.faults.clear();
  ctx.log.clear();
}

function parseRefreshTokenRequest(value: unknown): RefreshTokenRequest {
  const record = asRecord(value, 'refresh token request');
  return {
    tenantId: requireString(record, 'tenantId'),
    clientId: requireString(record, 'clientId'),
    scopes: requireStringArray(record, 'scopes'),
  };
}

export function handleAdmin(method: string, url: URL, body: string, ctx: EmulatorContext): Reply {
  try {
    switch (`${method} ${url.pathname}`) {
      case 'POST /_emulator/faults':
        return jsonReply(200, { queued: injectFaults(ctx, parseJson(body)) });
      case 'GET /_emulator/requests':
        return jsonReply(200, ctx.log.entries(url.searchParams.get('clientId') ?? undefined));
      case 'POST /_emulator/reset':
        resetEmulator(ctx);
        return emptyReply(204);
      case 'POST /_emulator/refresh-tokens':
        return jsonReply(200, { refresh_token: mintRefreshToken(ctx, parseRefreshTokenRequest(parseJson(body))) });
      default:
        return jsonReply(404, { error: 'not_found', message: `No admin operation ${method} ${url.pathname}` });
    }
  } catch (error) {
    if (error instanceof EmulatorInputError) return jsonReply(400, { error: 'bad_request', message: error.message });
    throw error;
  }
}
