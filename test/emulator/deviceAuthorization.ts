// POST /{tenant}/oauth2/v2.0/devicecode: starts a device code sign-in (doc §4.1); polling is grants/deviceCode.ts.
import type { EmulatorContext } from './context.js';
import { resolveDelegatedScopes } from './delegatedScopes.js';
import type { DirectoryTenant, TenantRef } from './directory.js';
import { aadsts, errorReply, StsError } from './errors.js';
import { requirePreauthorized } from './firstParty.js';
import { requireParameter } from './grants/grant.js';
import { jsonReply, type Reply } from './http.js';
import { parseScopeParameter } from './scopes.js';
import type { StsRequest } from './stsRequest.js';
import { requireTenant } from './tenantSegment.js';

const noStore = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' } as const;

/** The tenant a user of this sign-in belongs to: the one named, else (on /organizations, /common) the first with the app. */
export function homeTenantFor(
  tenant: TenantRef,
  clientId: string,
  ctx: EmulatorContext,
  chosen?: string,
): DirectoryTenant | undefined {
  if (tenant.kind === 'tenant') return tenant.tenant;
  if (chosen !== undefined) return ctx.directory.findTenant(chosen);
  return ctx.directory.allTenants().find((candidate) => ctx.directory.findApp(candidate, clientId) !== undefined);
}

function startSignIn(sts: StsRequest, tenantSegment: string, ctx: EmulatorContext): Record<string, unknown> {
  if (sts.method !== 'POST') throw aadsts.postOnly(sts.method);
  const tenant = requireTenant(ctx.directory, tenantSegment, 'invalid_request');
  const clientId = requireParameter(sts.form.get('client_id'), 'client_id');
  const scopes = parseScopeParameter(requireParameter(sts.form.get('scope'), 'scope'));
  const home = homeTenantFor(tenant, clientId, ctx);
  const app = home && ctx.directory.findApp(home, clientId);
  if (!app) throw aadsts.applicationNotFound(clientId, tenant.segment);
  // An unknown resource is refused now, as Entra does, not after the user signed in.
  resolveDelegatedScopes(scopes, scopes, ctx.directory, tenant.segment);
  // Entra shows 65002 after the user signed in; refused here at once (assumption: same code, earlier).
  requirePreauthorized(app, scopes, ctx.directory);
  const entry = ctx.deviceCodes.issue({
    tenantSegment: tenant.segment,
    clientId: app.clientId,
    scopes,
    now: ctx.now(),
    lifetimeSeconds: ctx.deviceCode.lifetimeSeconds,
    intervalSeconds: ctx.deviceCode.intervalSeconds,
  });
  const verificationUri = `${sts.baseUrl}/devicelogin`;
  return {
    user_code: entry.userCode,
    device_code: entry.deviceCode,
    verification_uri: verificationUri,
    expires_in: Math.round((entry.expiresAt - entry.issuedAt) / 1000),
    interval: entry.intervalSeconds,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${entry.userCode} to authenticate.`,
  };
}

export function handleDeviceAuthorization(sts: StsRequest, tenantSegment: string, ctx: EmulatorContext): Reply {
  try {
    return jsonReply(200, startSignIn(sts, tenantSegment, ctx), noStore);
  } catch (error) {
    if (error instanceof StsError) return errorReply(error, sts, sts.receivedAt, noStore);
    throw error;
  }
}
