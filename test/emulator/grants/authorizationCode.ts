// grant_type=authorization_code: redeems a code from the browser leg once, with the PKCE verifier (doc §2.6).
import { createHash } from 'node:crypto';
import { authenticateClient } from '../clientAuth.js';
import { resolveDelegatedScopes } from '../delegatedScopes.js';
import { aadsts } from '../errors.js';
import { requirePreauthorized } from '../firstParty.js';
import { mintAccessToken, mintIdToken } from '../tokens.js';
import { epochSeconds, requireParameter, type GrantHandler } from './grant.js';

function clientInfo(userId: string, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: userId, utid: tenantId })).toString('base64url');
}

export const authorizationCodeGrant: GrantHandler = async ({ sts, tenant, client }, ctx) => {
  const clientId = requireParameter(client.clientId, 'client_id');
  const code = requireParameter(sts.form.get('code'), 'code');
  const redirectUri = requireParameter(sts.form.get('redirect_uri'), 'redirect_uri');
  const issued = ctx.authorizations.redeem(code);
  if (issued === 'spent') throw aadsts.deviceCodeRedeemed();
  if (
    issued === undefined ||
    issued.clientId.toLowerCase() !== clientId.toLowerCase() ||
    issued.tenantSegment.toLowerCase() !== tenant.segment.toLowerCase()
  ) {
    throw aadsts.authorizationCodeInvalid();
  }
  if (ctx.now() >= issued.expiresAt) throw aadsts.authorizationCodeExpired();
  if (redirectUri !== issued.redirectUri) throw aadsts.redirectUriChanged();
  const verifier = sts.form.get('code_verifier');
  if (!verifier) throw aadsts.codeVerifierMissing();
  const expected =
    issued.codeChallengeMethod === 'S256'
      ? createHash('sha256').update(verifier, 'ascii').digest('base64url')
      : verifier;
  if (expected !== issued.codeChallenge) throw aadsts.codeVerifierMismatch();

  const home = ctx.directory.findTenant(issued.tenantId);
  const app = home && ctx.directory.findApp(home, clientId);
  if (!home || !app) throw aadsts.applicationNotFound(clientId, tenant.segment);
  const clientAuth = authenticateClient(app, client, { tenant: home, sts, ctx });
  requirePreauthorized(app, issued.scopes, ctx.directory);
  const access = resolveDelegatedScopes(issued.scopes, issued.scopes, ctx.directory, tenant.segment);
  const timing = { issuedAt: epochSeconds(ctx.now()), lifetimeSeconds: ctx.tokenLifetimeSeconds };
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: issued.scopes.join(' '),
    expires_in: ctx.tokenLifetimeSeconds,
    ext_expires_in: ctx.tokenLifetimeSeconds,
    access_token: await mintAccessToken(
      ctx.signingKey,
      sts.baseUrl,
      {
        tenantId: home.id,
        clientId: app.clientId,
        objectId: issued.userId,
        audience: access.resource.uri,
        clientAuth,
        grant: { idtyp: 'user', scp: access.scp },
      },
      timing,
    ),
  };
  if (issued.scopes.includes('offline_access')) {
    body['refresh_token'] = ctx.refreshTokens.issue({
      tenantId: home.id,
      clientId: app.clientId,
      userId: issued.userId,
      scopes: issued.scopes,
    });
  }
  if (issued.scopes.includes('openid')) {
    body['id_token'] = await mintIdToken(
      ctx.signingKey,
      sts.baseUrl,
      {
        tenantId: home.id,
        clientId: app.clientId,
        userId: issued.userId,
        userName: issued.userName,
        nonce: issued.nonce,
      },
      timing,
    );
  }
  if (sts.form.get('client_info') === '1') body['client_info'] = clientInfo(issued.userId, home.id);
  return body;
};
