// Azure Cloud Shell: MSI_ENDPOINT alone, a POST with the resource in the form (docs/entra-protocol.md §7.6 "Azure Cloud Shell").

import type { Env } from '../../config/env.js'
import type { Logger } from '../../log/logger.js'
import { parseEndpoint } from './endpoint.js'
import type { UserAssignedIdentity } from './identity.js'
import { readManagedIdentityResponse, sendWithRetry, type ManagedIdentitySource } from './source.js'

const NAME = 'Cloud Shell'

export function tryCreateCloudShell(env: Env, logger: Logger): ManagedIdentitySource | undefined {
  if (env.msiEndpoint === undefined) {
    logger.debug(`${NAME}: MSI_ENDPOINT is not set`)
    return undefined
  }
  const endpoint = parseEndpoint(env.msiEndpoint, 'MSI_ENDPOINT')
  return {
    name: NAME,
    unsupported: (identity) => (identity === undefined ? undefined : 'Cloud Shell signs in as its user; it has no user-assigned identities'),
    async getToken(resource: string, identity: UserAssignedIdentity | undefined, context) {
      const response = await sendWithRetry(
        NAME,
        {
          method: 'POST',
          url: endpoint.toString(),
          headers: { Metadata: 'true', 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ resource }).toString(),
        },
        context,
      )
      return readManagedIdentityResponse(response, NAME, identity, context.clock.now())
    },
  }
}
