// grant_type=refresh_token: a delegated token for a known refresh token of this client and tenant; rotates it (doc §2.4).
import { authenticateClient } from '../clientAuth.js';
import { resolveDelegatedScopes } from '../delegatedScopes.js';
import { aadsts } from '../errors.js';
import { requirePreauthorized } from '../firstParty.js';
import { parseScopeParameter } from '../scopes.js';
import { mintAccessToken } from '../tokens.js';
import { epochSeconds, requireParameter, type GrantHandler } from './grant.js';

export const refreshTokenGrant: GrantHandler = async ({ sts, tenant, client }, ctx) => {
  const clientId = requireParameter(client.clientId, 'client_id');
  const refreshToken = requireParameter(sts.form.get('refresh_token'), 'refresh_token');
  const grant = ctx.refreshTokens.find(refreshToken);
  // On /common and /organizations the refresh token decides the tenant.
  const home = tenant.kind === 'tenant' ? tenant.tenant : grant && ctx.directory.findTenant(grant.tenantId);
  if (!home) throw aadsts.refreshTokenRevoked();
  const app = ctx.directory.findApp(home, clientId);
  if (!app) throw aadsts.applicationNotFound(clientId, tenant.segment);
  const clientAuth = authenticateClient(app, client, { tenant: home, sts, ctx });
  if (!grant || grant.clientId !== app.clientId || grant.tenantId !== home.id) throw aadsts.refreshTokenRevoked();

  const requested = parseScopeParameter(sts.form.get('scope') ?? undefined);
  const scopes = requested.length > 0 ? requested : grant.scopes;
  requirePreauthorized(app, scopes, ctx.directory);
  const access = resolveDelegatedScopes(scopes, grant.scopes, ctx.directory, tenant.segment);
  const lifetime = ctx.tokenLifetimeSeconds;
  const accessToken = await mintAccessToken(
    ctx.signingKey,
    sts.baseUrl,
    {
      tenantId: home.id,
      clientId: app.clientId,
      objectId: grant.userId,
      audience: access.resource.uri,
      clientAuth,
      grant: { idtyp: 'user', scp: access.scp },
    },
    { issuedAt: epochSeconds(ctx.now()), lifetimeSeconds: lifetime },
  );
  return {
    token_type: 'Bearer',
    scope: scopes.join(' '),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
    refresh_token: ctx.refreshTokens.rotate(refreshToken),
  };
};
