// Azure VMs and scale sets: the Instance Metadata Service (docs/entra-protocol.md §7.2 "Azure VM / VMSS"), asked directly with the normal retries.

import type { Env } from '../../config/env.js'
import { CredentialUnavailableError, EntraAuthError } from '../../errors.js'
import { errorCode } from '../../http/retry.js'
import type { Logger } from '../../log/logger.js'
import { parseEndpoint, withQuery } from './endpoint.js'
import type { UserAssignedIdentity } from './identity.js'
import { isRetryableImdsStatus, readManagedIdentityResponse, sendWithRetry, type ManagedIdentitySource } from './source.js'

const NAME = 'Azure VM (IMDS)'
const DEFAULT_HOST = 'http://169.254.169.254'
const TOKEN_PATH = '/metadata/identity/oauth2/token'
const ID_PARAMETERS = { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' } as const

/**
 * IMDS is the last source: always created; its answer decides. A managed identity is always asked for explicitly
 * here (-ManagedIdentity), so there is no fast probe: @azure/identity's ManagedIdentityCredential probes only when a
 * default credential chain sets `sendProbeRequest` (azure-sdk-for-net #9550, #20609: busy VMs answer IMDS in more
 * than a second). The token request gets the normal retries and -TimeoutSec; when nothing answers, the error lists
 * every source checked. `checked` lists what was looked at before.
 */
export function createImds(env: Env, _logger: Logger, checked: readonly string[]): ManagedIdentitySource {
  const host = env.podIdentityAuthorityHost === undefined ? new URL(DEFAULT_HOST) : parseEndpoint(env.podIdentityAuthorityHost, 'AZURE_POD_IDENTITY_AUTHORITY_HOST')
  const endpoint = new URL(TOKEN_PATH, host)
  return {
    name: NAME,
    unsupported: () => undefined,
    async getToken(resource: string, identity: UserAssignedIdentity | undefined, context) {
      const url = withQuery(endpoint, {
        'api-version': '2018-02-01',
        resource,
        ...(identity === undefined ? {} : { [ID_PARAMETERS[identity.kind]]: identity.value }),
      })
      let response
      try {
        response = await sendWithRetry(NAME, { method: 'GET', url, headers: { Metadata: 'true' } }, context, isRetryableImdsStatus)
      } catch (error) {
        if (!(error instanceof EntraAuthError) || (error.code !== 'ERR_NETWORK' && error.code !== 'ERR_TIMEOUT')) throw error
        const absent = error.code === 'ERR_TIMEOUT' ? `no answer within ${context.timeoutSec} s` : (errorCode(error.cause) ?? 'no answer')
        const where = [...checked, `IMDS at ${endpoint.origin}${env.podIdentityAuthorityHost === undefined ? '' : ' (AZURE_POD_IDENTITY_AUTHORITY_HOST)'}: ${absent}`]
        throw new CredentialUnavailableError(
          `No managed identity endpoint here. Checked: ${where.join('; ')}.`,
          'Run this in Azure (VM, scale set, App Service, Functions, Automation, Arc, Cloud Shell) with a managed identity turned on; elsewhere use -ClientSecret, -CertificatePath or federation. Off Azure, -TimeoutSec bounds the wait for IMDS.',
          error,
        )
      }
      return readManagedIdentityResponse(response, NAME, identity, context.clock.now())
    },
  }
}
