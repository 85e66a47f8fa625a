// POST /{tenant}/oauth2/v2.0/token: method, tenant and parameter checks, then dispatch on grant_type (doc §2).
import { readClientCredentials } from './clientAuth.js';
import type { EmulatorContext } from './context.js';
import { aadsts, errorReply, StsError } from './errors.js';
import { authorizationCodeGrant } from './grants/authorizationCode.js';
import { clientCredentialsGrant } from './grants/clientCredentials.js';
import { deviceCodeGrant, deviceCodeGrantTypes } from './grants/deviceCode.js';
import { requireParameter, type GrantHandler } from './grants/grant.js';
import { refreshTokenGrant } from './grants/refreshToken.js';
import { jsonReply, type Reply } from './http.js';
import type { StsRequest } from './stsRequest.js';
import { requireTenant } from './tenantSegment.js';

/** Supported grants; a new grant is a new file in grants/ plus one line here. */
const grants: ReadonlyMap<string, GrantHandler> = new Map([
  ['client_credentials', clientCredentialsGrant],
  ['refresh_token', refreshTokenGrant],
  ['authorization_code', authorizationCodeGrant],
  ...deviceCodeGrantTypes.map((grantType) => [grantType, deviceCodeGrant] as const),
]);

const noStore = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' } as const;

async function issueToken(
  sts: StsRequest,
  tenantSegment: string,
  ctx: EmulatorContext,
): Promise<Record<string, unknown>> {
  if (sts.method !== 'POST') throw aadsts.postOnly(sts.method);
  const tenant = requireTenant(ctx.directory, tenantSegment, 'invalid_request');
  if (sts.form.has('resource')) throw aadsts.resourceParameterNotSupported();
  const grantType = requireParameter(sts.form.get('grant_type'), 'grant_type');
  const grant = grants.get(grantType);
  if (!grant) throw aadsts.unsupportedGrantType(grantType);
  return grant({ sts, tenant, client: readClientCredentials(sts.form, sts.authorization) }, ctx);
}

export async function handleTokenRequest(sts: StsRequest, tenantSegment: string, ctx: EmulatorContext): Promise<Reply> {
  try {
    return jsonReply(200, await issueToken(sts, tenantSegment, ctx), noStore);
  } catch (error) {
    if (error instanceof StsError) return errorReply(error, sts, sts.receivedAt, noStore);
    throw error;
  }
}
