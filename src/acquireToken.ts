// Runs the flow a request names; the one place that knows every flow.

import type { Env } from './config/env.js'
import type { CertificateDeps } from './flows/certificateGrant.js'
import { acquireTokenWithClientCertificate } from './flows/clientCertificate.js'
import { acquireTokenWithSignedAssertion } from './flows/clientCertificateSigned.js'
import { acquireTokenWithClientSecret } from './flows/clientSecret.js'
import { acquireTokenWithDeviceCode, type DeviceCodeDeps } from './flows/deviceCode.js'
import { acquireTokenWithManagedIdentity, type ManagedIdentityDeps } from './flows/managedIdentity/index.js'
import { acquireTokenWithRefreshToken } from './flows/refreshToken.js'
import { acquireTokenWithWorkloadIdentity } from './flows/workloadIdentity.js'
import type { AccessToken } from './oauth/tokenResponse.js'
import type { ManagedIdentityRequest, TokenFlowRequest } from './protocol/request.js'

/** What every flow may need: the token endpoint client, files, and the proxy-less managed identity clients. */
export interface CoreDeps extends CertificateDeps, Pick<DeviceCodeDeps, 'prompt'> {
  /** The request's redaction, for text shown outside the core's streams (the browser's page). */
  redact: (text: string) => string
  managedIdentity: Pick<ManagedIdentityDeps, 'http' | 'pinnedClient' | 'files'>
}

/**
 * Kubernetes workload identity announces itself with AZURE_FEDERATED_TOKEN_FILE, AZURE_TENANT_ID and a client id:
 * like @azure/identity, -ManagedIdentity then exchanges that token (docs/entra-protocol.md §6.2 "Environment variables" and §7.1 "How @azure/identity 4.14 picks a source").
 */
function usesTokenExchange(request: ManagedIdentityRequest, env: Env): boolean {
  return (
    env.federatedTokenFile !== undefined &&
    (request.tenantId !== '' || env.azureTenantId !== undefined) &&
    (request.clientId ?? env.azureClientId) !== undefined &&
    request.managedIdentityObjectId === undefined &&
    request.managedIdentityResourceId === undefined
  )
}

export async function acquireToken(request: TokenFlowRequest, env: Env, deps: CoreDeps): Promise<AccessToken> {
  switch (request.flow) {
    case 'clientCertificate':
      return acquireTokenWithClientCertificate(request, env, deps)
    case 'clientCertificateSigned':
      return acquireTokenWithSignedAssertion(request, env, deps)
    case 'clientSecret':
      return acquireTokenWithClientSecret(request, env, deps)
    case 'refreshToken':
      return acquireTokenWithRefreshToken(request, env, deps)
    case 'workloadIdentity':
      return acquireTokenWithWorkloadIdentity(request, env, deps)
    case 'deviceCode':
      return acquireTokenWithDeviceCode(request, env, deps)
    case 'interactive':
      // Loaded at its first use: the other flows do not pay for the listener and the browser opener.
      return (await import('./flows/interactive/index.js')).acquireTokenInteractively(request, env, deps)
    case 'managedIdentity':
      if (usesTokenExchange(request, env)) {
        deps.logger.verbose('managed identity: AZURE_FEDERATED_TOKEN_FILE, AZURE_TENANT_ID and a client id are set, so the workload identity token is exchanged')
        return acquireTokenWithWorkloadIdentity({ ...request, flow: 'workloadIdentity' }, env, deps)
      }
      return acquireTokenWithManagedIdentity(
        {
          clientId: request.clientId,
          objectId: request.managedIdentityObjectId,
          resourceId: request.managedIdentityResourceId,
          scopes: request.scopes,
          environment: request.environment,
          timeoutSec: request.timeoutSec,
        },
        env,
        { ...deps.managedIdentity, clock: deps.clock, logger: deps.logger },
      )
  }
}
