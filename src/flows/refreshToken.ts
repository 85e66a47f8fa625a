// The refresh token grant (RFC 6749 section 6; docs/entra-protocol.md §2.4 "Grant: refresh_token"): a new access token for a user.

import type { Env } from '../config/env.js'
import { ConfigurationError } from '../errors.js'
import { validateClientId } from '../oauth/authority.js'
import { requestToken, type TokenEndpointDeps } from '../oauth/tokenEndpoint.js'
import type { AccessToken } from '../oauth/tokenResponse.js'
import type { RefreshTokenRequest } from '../protocol/request.js'
import { resolveTarget } from './target.js'

/**
 * Redeems a refresh token. Entra needs the client id the token was issued to (the seed functions
 * forgot it), and the secret as well when that client is confidential.
 * @throws ConfigurationError before any request when the client id or token is missing
 */
export async function acquireTokenWithRefreshToken(request: RefreshTokenRequest, env: Env, deps: TokenEndpointDeps): Promise<AccessToken> {
  const target = resolveTarget(request, env, true)
  const clientId = validateClientId(request.clientId, "to redeem a refresh token: Entra rejects a refresh without the client id it was issued to (AADSTS900144)")
  if (request.refreshToken.trim() === '') throw new ConfigurationError('RefreshToken is empty.', 'Pass the refresh_token from an earlier delegated sign-in.')
  const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, scope: target.scopes.join(' '), refresh_token: request.refreshToken })
  if (request.clientSecret !== undefined && request.clientSecret !== '') form.set('client_secret', request.clientSecret)
  return requestToken(
    {
      endpoint: target.endpoint,
      form,
      timeoutSec: target.timeoutSec,
      correlationId: request.correlationId,
      hintContext: { tenant: target.tenant, clientId, scopes: target.scopes },
    },
    deps,
  )
}
