// Managed identity: picks the first source whose environment is present (docs/entra-protocol.md §7.1 "How @azure/identity 4.14 picks a source") and gets a token there.

import { CLOUDS, LIMITS } from '../../config/constants.js'
import type { Env } from '../../config/env.js'
import { ConfigurationError } from '../../errors.js'
import type { HttpClient } from '../../http/client.js'
import type { Clock } from '../../http/retry.js'
import type { Logger } from '../../log/logger.js'
import { resolveAuthority } from '../../oauth/authority.js'
import { normalizeScopes } from '../../oauth/scopes.js'
import type { AccessToken } from '../../oauth/tokenResponse.js'
import { tryCreateAppService } from './appService.js'
import { tryCreateAzureArc, type ArcFiles } from './azureArc.js'
import { tryCreateCloudShell } from './cloudShell.js'
import { describeIdentity, selectIdentity, type IdentitySelection } from './identity.js'
import { createImds } from './imds.js'
import { tryCreateMachineLearning } from './machineLearning.js'
import { tryCreateServiceFabric, type PinnedClientFactory } from './serviceFabric.js'
import type { ManagedIdentitySource } from './source.js'

export interface ManagedIdentityRequest extends IdentitySelection {
  scopes?: string[] | undefined
  environment?: keyof typeof CLOUDS | undefined
  timeoutSec?: number | undefined
}

export interface ManagedIdentityDeps {
  /** A client that never uses a proxy. */
  http: HttpClient
  pinnedClient: PinnedClientFactory
  files: ArcFiles
  clock: Clock
  logger: Logger
}

/**
 * The one resource a managed identity token is for: exactly one scope, `/.default` cut once
 * (`https://management.core.windows.net//.default` gives `https://management.core.windows.net/`).
 */
export function scopeToResource(scopes: readonly string[]): string {
  const [scope] = scopes
  if (scopes.length !== 1 || scope === undefined) {
    throw new ConfigurationError(
      `A managed identity token is for one resource, but ${scopes.length} scopes were given (${scopes.join(', ')}).`,
      'Pass one -Scope, e.g. https://management.azure.com, and ask again for each other resource.',
    )
  }
  return scope.endsWith('/.default') ? scope.slice(0, -'/.default'.length) : scope
}

/** The sources in msal-node's and @azure/identity's order; the first one present wins. */
export function selectSource(env: Env, deps: ManagedIdentityDeps): ManagedIdentitySource {
  const checked: string[] = []
  const candidates: Array<[string, () => ManagedIdentitySource | undefined]> = [
    ['Service Fabric (IDENTITY_ENDPOINT, IDENTITY_HEADER, IDENTITY_SERVER_THUMBPRINT): not all set', () => tryCreateServiceFabric(env, deps.logger, deps.pinnedClient)],
    ['App Service, Functions, Automation (IDENTITY_ENDPOINT, IDENTITY_HEADER): not both set', () => tryCreateAppService(env, deps.logger)],
    ['Azure Machine Learning (MSI_ENDPOINT, MSI_SECRET): not both set', () => tryCreateMachineLearning(env, deps.logger)],
    ['Cloud Shell (MSI_ENDPOINT): not set', () => tryCreateCloudShell(env, deps.logger)],
    ['Azure Arc (IDENTITY_ENDPOINT, IMDS_ENDPOINT, or the himds agent): not found', () => tryCreateAzureArc(env, deps.logger, deps.files)],
  ]
  for (const [absent, tryCreate] of candidates) {
    const source = tryCreate()
    if (source !== undefined) return source
    checked.push(absent)
  }
  return createImds(env, deps.logger, checked)
}

/**
 * Gets a token for the managed identity of the Azure resource this runs on.
 * @throws ConfigurationError before any request for a bad id, several scopes, or an identity the source does not take
 * @throws CredentialUnavailableError when no managed identity endpoint is here
 */
export async function acquireTokenWithManagedIdentity(request: ManagedIdentityRequest, env: Env, deps: ManagedIdentityDeps): Promise<AccessToken> {
  const identity = selectIdentity(request)
  const cloud = resolveAuthority({ environment: request.environment, envAuthorityHost: env.authorityHost }).cloud
  const scopes = normalizeScopes(request.scopes ?? [])
  const resource = scopeToResource(scopes.length > 0 ? scopes : [CLOUDS[cloud].graphScope])
  const source = selectSource(env, deps)
  const unsupported = source.unsupported(identity)
  if (unsupported !== undefined) {
    throw new ConfigurationError(`${source.name} cannot use ${describeIdentity(identity)}: ${unsupported}.`, 'Use the system-assigned identity here (omit -ClientId, -ManagedIdentityObjectId and -ManagedIdentityResourceId).')
  }
  deps.logger.verbose(`managed identity: ${source.name}, ${describeIdentity(identity)}, resource ${resource}`)
  const timeoutSec = request.timeoutSec ?? LIMITS.defaultTimeoutSec
  return source.getToken(resource, identity, {
    http: deps.http,
    clock: deps.clock,
    logger: deps.logger,
    timeoutSec,
    deadline: deps.clock.now() + timeoutSec * 1000,
  })
}
