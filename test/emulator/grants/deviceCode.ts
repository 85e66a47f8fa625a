// grant_type=device_code or urn:ietf:params:oauth:grant-type:device_code: one poll of a device code sign-in (doc §2.5, §4.2).
import { authenticateClient } from '../clientAuth.js';
import type { EmulatorContext } from '../context.js';
import { resolveDelegatedScopes } from '../delegatedScopes.js';
import { homeTenantFor } from '../deviceAuthorization.js';
import type { DeviceCodeEntry } from '../deviceCodes.js';
import { aadsts } from '../errors.js';
import { stableGuid } from '../ids.js';
import { mintAccessToken, mintIdToken } from '../tokens.js';
import { epochSeconds, requireParameter, type GrantHandler } from './grant.js';

/** Both spellings: MSAL (node, .NET) sends the short one, the docs and MSAL Python the URN. */
export const deviceCodeGrantTypes = ['device_code', 'urn:ietf:params:oauth:grant-type:device_code'] as const;

/** Counts the poll and lets a scripted user act; true when this poll is to be told `slow_down`. */
function advance(entry: DeviceCodeEntry): boolean {
  entry.polls += 1;
  if (entry.slowDownsLeft > 0) {
    entry.slowDownsLeft -= 1;
    return true;
  }
  const plan = entry.plan;
  if (entry.state === 'pending' && plan !== undefined && plan.action !== 'none' && entry.polls > plan.afterPolls) {
    entry.state = plan.action === 'approve' ? 'approved' : 'declined';
  }
  return false;
}

function clientInfo(userId: string, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: userId, utid: tenantId })).toString('base64url');
}

export const deviceCodeGrant: GrantHandler = async ({ sts, tenant, client }, ctx: EmulatorContext) => {
  const clientId = requireParameter(client.clientId, 'client_id');
  const deviceCode = requireParameter(sts.form.get('device_code'), 'device_code');
  const entry = ctx.deviceCodes.findByDeviceCode(deviceCode);
  if (
    !entry ||
    entry.clientId.toLowerCase() !== clientId.toLowerCase() ||
    entry.tenantSegment.toLowerCase() !== tenant.segment.toLowerCase()
  ) {
    throw aadsts.badVerificationCode();
  }
  const home = homeTenantFor(tenant, clientId, ctx, entry.approvedTenantId ?? entry.plan?.tenantId);
  const app = home && ctx.directory.findApp(home, clientId);
  if (!home || !app) throw aadsts.applicationNotFound(clientId, tenant.segment);
  const clientAuth = authenticateClient(app, client, { tenant: home, sts, ctx });
  if (entry.state === 'redeemed') throw aadsts.deviceCodeRedeemed();
  if (ctx.now() >= entry.expiresAt) throw aadsts.deviceCodeExpired();
  if (advance(entry)) throw aadsts.slowDown();
  if (entry.state === 'pending') throw aadsts.authorizationPending();
  if (entry.state === 'declined') throw aadsts.authorizationDeclined();

  entry.state = 'redeemed';
  entry.approvedTenantId = home.id;
  const userId = stableGuid(`user:${home.id}`);
  const access = resolveDelegatedScopes(entry.scopes, entry.scopes, ctx.directory, tenant.segment);
  const timing = { issuedAt: epochSeconds(ctx.now()), lifetimeSeconds: ctx.tokenLifetimeSeconds };
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: entry.scopes.join(' '),
    expires_in: ctx.tokenLifetimeSeconds,
    ext_expires_in: ctx.tokenLifetimeSeconds,
    access_token: await mintAccessToken(
      ctx.signingKey,
      sts.baseUrl,
      {
        tenantId: home.id,
        clientId: app.clientId,
        objectId: userId,
        audience: access.resource.uri,
        clientAuth,
        grant: { idtyp: 'user', scp: access.scp },
      },
      timing,
    ),
  };
  if (entry.scopes.includes('offline_access')) {
    body['refresh_token'] = ctx.refreshTokens.issue({
      tenantId: home.id,
      clientId: app.clientId,
      userId,
      scopes: entry.scopes,
    });
  }
  if (entry.scopes.includes('openid')) {
    body['id_token'] = await mintIdToken(
      ctx.signingKey,
      sts.baseUrl,
      {
        tenantId: home.id,
        clientId: app.clientId,
        userId,
        userName: `user@${home.domains[0] ?? home.id}`,
      },
      timing,
    );
  }
  if (sts.form.get('client_info') === '1') body['client_info'] = clientInfo(userId, home.id);
  return body;
};
