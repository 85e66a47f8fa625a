// The client credentials grant with a client secret (RFC 6749 section 4.4; docs/entra-protocol.md §2.3 "Grant: client_credentials").

import type { Env } from '../config/env.js'
import { ConfigurationError } from '../errors.js'
import { isGuid, validateClientId } from '../oauth/authority.js'
import { requireAppOnlyScope } from '../oauth/scopes.js'
import { requestToken, type TokenEndpointDeps } from '../oauth/tokenEndpoint.js'
import type { AccessToken } from '../oauth/tokenResponse.js'
import type { ClientSecretRequest } from '../protocol/request.js'
import { resolveTarget } from './target.js'

/**
 * Gets an app-only token with a client secret.
 * @throws ConfigurationError before any request for a bad tenant, client id, secret or scope
 */
export async function acquireTokenWithClientSecret(request: ClientSecretRequest, env: Env, deps: TokenEndpointDeps): Promise<AccessToken> {
  const target = resolveTarget(request, env, false)
  const clientId = validateClientId(request.clientId, 'for a client secret')
  if (request.clientSecret === '') throw new ConfigurationError('ClientSecret is empty.', "Pass the secret's Value from Certificates & secrets of the app registration.")
  const scope = requireAppOnlyScope(target.scopes)
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, scope, client_secret: request.clientSecret })
  return requestToken(
    {
      endpoint: target.endpoint,
      form,
      timeoutSec: target.timeoutSec,
      correlationId: request.correlationId,
      hintContext: { tenant: target.tenant, clientId, scopes: [scope], secretLooksLikeId: isGuid(request.clientSecret.trim()) },
    },
    deps,
  )
}
