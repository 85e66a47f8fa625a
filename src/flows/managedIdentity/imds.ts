// Azure VMs and scale sets: the Instance Metadata Service, found by a short probe (protocol doc 7.2).

import type { Env } from '../../config/env.js'
import { CredentialUnavailableError } from '../../errors.js'
import { errorCode } from '../../http/retry.js'
import type { Logger } from '../../log/logger.js'
import { parseEndpoint, withQuery } from './endpoint.js'
import type { UserAssignedIdentity } from './identity.js'
import { isRetryableImdsStatus, readManagedIdentityResponse, sendWithRetry, type ManagedIdentityContext, type ManagedIdentitySource } from './source.js'

const NAME = 'Azure VM (IMDS)'
const DEFAULT_HOST = 'http://169.254.169.254'
const TOKEN_PATH = '/metadata/identity/oauth2/token'
/** A machine outside Azure has no IMDS: the probe must fail fast there. */
export const PROBE_TIMEOUT_MS = 1000
const ID_PARAMETERS = { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' } as const

/**
 * Asks IMDS without the Metadata header: any HTTP answer (IMDS says 400) proves it is there. No retries.
 * @returns undefined when IMDS answered, else why it is not there
 */
async function probe(url: string, context: ManagedIdentityContext): Promise<string | undefined> {
  try {
    await context.http.send({ method: 'GET', url, signal: AbortSignal.timeout(Math.min(PROBE_TIMEOUT_MS, Math.max(1, context.deadline - context.clock.now()))) })
    return undefined
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${PROBE_TIMEOUT_MS} ms`
    return errorCode(error) ?? (error instanceof Error ? error.message : 'no answer')
  }
}

/** IMDS is the last source: always created, its probe decides. `checked` lists what was looked at before. */
export function createImds(env: Env, _logger: Logger, checked: readonly string[]): ManagedIdentitySource {
  const host = env.podIdentityAuthorityHost === undefined ? new URL(DEFAULT_HOST) : parseEndpoint(env.podIdentityAuthorityHost, 'AZURE_POD_IDENTITY_AUTHORITY_HOST')
  const endpoint = new URL(TOKEN_PATH, host)
  return {
    name: NAME,
    unsupported: () => undefined,
    async getToken(resource: string, identity: UserAssignedIdentity | undefined, context) {
      context.logger.verbose(`probing IMDS at ${endpoint.origin} (${PROBE_TIMEOUT_MS} ms)`)
      const absent = await probe(endpoint.toString(), context)
      if (absent !== undefined) {
        const where = [...checked, `IMDS at ${endpoint.origin}${env.podIdentityAuthorityHost === undefined ? '' : ' (AZURE_POD_IDENTITY_AUTHORITY_HOST)'}: ${absent}`]
        throw new CredentialUnavailableError(
          `No managed identity endpoint here. Checked: ${where.join('; ')}.`,
          'Run this in Azure (VM, scale set, App Service, Functions, Automation, Arc, Cloud Shell) with a managed identity turned on; elsewhere use -ClientSecret, -CertificatePath or federation.',
        )
      }
      const url = withQuery(endpoint, {
        'api-version': '2018-02-01',
        resource,
        ...(identity === undefined ? {} : { [ID_PARAMETERS[identity.kind]]: identity.value }),
      })
      const response = await sendWithRetry(NAME, { method: 'GET', url, headers: { Metadata: 'true' } }, context, isRetryableImdsStatus)
      return readManagedIdentityResponse(response, NAME, identity, context.clock.now())
    },
  }
}
