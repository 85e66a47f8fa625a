// Service Fabric: IDENTITY_ENDPOINT + IDENTITY_HEADER + IDENTITY_SERVER_THUMBPRINT, https pinned to that thumbprint (docs/entra-protocol.md §7.7 "Service Fabric").

import type { Env } from '../../config/env.js'
import type { HttpClient } from '../../http/client.js'
import type { Logger } from '../../log/logger.js'
import { parseEndpoint, withQuery } from './endpoint.js'
import type { UserAssignedIdentity } from './identity.js'
import { readManagedIdentityResponse, sendWithRetry, type ManagedIdentitySource } from './source.js'

const NAME = 'Service Fabric'

/** Makes a client that trusts only the server certificate with this SHA-1 thumbprint. */
export type PinnedClientFactory = (thumbprint: string) => HttpClient

export function tryCreateServiceFabric(env: Env, logger: Logger, pinnedClient: PinnedClientFactory): ManagedIdentitySource | undefined {
  if (env.identityEndpoint === undefined || env.identityHeader === undefined || env.identityServerThumbprint === undefined) {
    logger.debug(`${NAME}: IDENTITY_ENDPOINT, IDENTITY_HEADER and IDENTITY_SERVER_THUMBPRINT are not all set`)
    return undefined
  }
  const endpoint = parseEndpoint(env.identityEndpoint, 'IDENTITY_ENDPOINT')
  const { identityHeader, identityServerThumbprint } = env
  return {
    name: NAME,
    unsupported: (identity) => (identity === undefined ? undefined : 'Service Fabric applications choose their identity in the cluster manifest, not per request'),
    async getToken(resource: string, identity: UserAssignedIdentity | undefined, context) {
      const url = withQuery(endpoint, { 'api-version': env.identityApiVersion ?? '2019-07-01-preview', resource })
      const response = await sendWithRetry(NAME, { method: 'GET', url, headers: { secret: identityHeader } }, { ...context, http: pinnedClient(identityServerThumbprint) })
      return readManagedIdentityResponse(response, NAME, identity, context.clock.now())
    },
  }
}
