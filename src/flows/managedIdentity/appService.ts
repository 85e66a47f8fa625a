// App Service, Azure Functions and Azure Automation: IDENTITY_ENDPOINT + IDENTITY_HEADER, api-version 2019-08-01 (docs/entra-protocol.md §7.3 "App Service / Azure Functions" and §7.4 "Azure Automation").

import type { Env } from '../../config/env.js'
import type { Logger } from '../../log/logger.js'
import { parseEndpoint, withQuery } from './endpoint.js'
import type { UserAssignedIdentity } from './identity.js'
import { readManagedIdentityResponse, sendWithRetry, type ManagedIdentitySource } from './source.js'

const NAME = 'App Service'
const ID_PARAMETERS = { clientId: 'client_id', objectId: 'principal_id', resourceId: 'mi_res_id' } as const

export function tryCreateAppService(env: Env, logger: Logger): ManagedIdentitySource | undefined {
  if (env.identityEndpoint === undefined || env.identityHeader === undefined) {
    logger.debug(`${NAME} (also Functions, Automation): IDENTITY_ENDPOINT and IDENTITY_HEADER are not both set`)
    return undefined
  }
  const endpoint = parseEndpoint(env.identityEndpoint, 'IDENTITY_ENDPOINT')
  const secretHeader = env.identityHeader
  return {
    name: NAME,
    unsupported: () => undefined,
    async getToken(resource: string, identity: UserAssignedIdentity | undefined, context) {
      const url = withQuery(endpoint, {
        'api-version': '2019-08-01',
        resource,
        ...(identity === undefined ? {} : { [ID_PARAMETERS[identity.kind]]: identity.value }),
      })
      const response = await sendWithRetry(NAME, { method: 'GET', url, headers: { 'X-IDENTITY-HEADER': secretHeader } }, context)
      return readManagedIdentityResponse(response, NAME, identity, context.clock.now())
    },
  }
}
