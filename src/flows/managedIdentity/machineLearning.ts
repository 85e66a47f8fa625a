// Azure Machine Learning and legacy App Service: MSI_ENDPOINT + MSI_SECRET, api-version 2017-09-01 (docs/entra-protocol.md §7.8 "Azure Machine Learning (2017-09-01 protocol)").

import type { Env } from '../../config/env.js'
import type { Logger } from '../../log/logger.js'
import { parseEndpoint, withQuery } from './endpoint.js'
import type { UserAssignedIdentity } from './identity.js'
import { readManagedIdentityResponse, sendWithRetry, type ManagedIdentitySource } from './source.js'

const NAME = 'Azure Machine Learning (2017-09-01)'

export function tryCreateMachineLearning(env: Env, logger: Logger): ManagedIdentitySource | undefined {
  if (env.msiEndpoint === undefined || env.msiSecret === undefined) {
    logger.debug(`${NAME}: MSI_ENDPOINT and MSI_SECRET are not both set`)
    return undefined
  }
  const endpoint = parseEndpoint(env.msiEndpoint, 'MSI_ENDPOINT')
  const secret = env.msiSecret
  return {
    name: NAME,
    unsupported: (identity) => (identity === undefined || identity.kind === 'clientId' ? undefined : 'this endpoint names user-assigned identities by client id only (-ClientId)'),
    async getToken(resource: string, identity: UserAssignedIdentity | undefined, context) {
      const url = withQuery(endpoint, { 'api-version': '2017-09-01', resource, clientid: identity?.value ?? env.defaultIdentityClientId })
      const response = await sendWithRetry(NAME, { method: 'GET', url, headers: { Metadata: 'true', secret } }, context)
      return readManagedIdentityResponse(response, NAME, identity, context.clock.now())
    },
  }
}
