// Workload identity federation (docs/entra-protocol.md §6 "Workload identity federation"): a token of another identity provider as the client assertion.

import { CLOUDS, type CloudName } from '../config/constants.js'
import type { Env } from '../config/env.js'
import { ConfigurationError, CredentialUnavailableError, EntraAuthError } from '../errors.js'
import { proxyFailure } from '../http/proxy.js'
import { tlsFailure } from '../http/trust.js'
import { checkUrl } from '../http/urlPolicy.js'
import { describeReadFailure, FILE_LIMITS, formatBytes } from '../io/readBoundedFile.js'
import { isJwtShaped } from '../oauth/jwtShape.js'
import { validateClientId } from '../oauth/authority.js'
import { requireAppOnlyScope } from '../oauth/scopes.js'
import { requestToken, type TokenEndpointDeps } from '../oauth/tokenEndpoint.js'
import type { AccessToken } from '../oauth/tokenResponse.js'
import type { RequestBase } from '../protocol/request.js'
import type { WorkloadIdentityRequestFields } from '../protocol/identityRequest.js'
import { ASSERTION_TYPE } from './certificateGrant.js'
import { resolveTarget } from './target.js'

export interface WorkloadIdentityRequest extends RequestBase, WorkloadIdentityRequestFields {}

export interface WorkloadIdentityDeps extends TokenEndpointDeps {
  /** Reads a regular file of at most `maxBytes` (readBoundedFile). */
  readFile(path: string, maxBytes: number): Promise<Uint8Array>
  /** Registers a token read from a file or fetched, so logs never show it. */
  addSecret(value: string): void
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

async function readTokenFile(path: string, origin: string, deps: WorkloadIdentityDeps): Promise<string> {
  let text: string
  try {
    text = Buffer.from(await deps.readFile(path, FILE_LIMITS.federatedToken)).toString('utf8').trim()
  } catch (cause) {
    throw new CredentialUnavailableError(
      `The federated token file '${path}' (${origin}) could not be read: ${describeReadFailure(cause)}.`,
      `Point it at the token file itself (a regular file of at most ${formatBytes(FILE_LIMITS.federatedToken)}), and check that the projected service account token is mounted in this pod.`,
    )
  }
  if (text === '') throw new CredentialUnavailableError(`The federated token file '${path}' (${origin}) is empty.`, 'Check that the projected service account token is mounted and refreshed.')
  deps.addSecret(text)
  // Only a token leaves this machine: a path to any other file must not post that file to the token endpoint.
  if (!isJwtShaped(text)) {
    throw new CredentialUnavailableError(
      `The federated token file '${path}' (${origin}) does not hold a JWT (three base64url parts, the first a JSON header with "alg"); nothing was sent.`,
      'Point it at the token your identity provider writes (in Kubernetes the projected service account token, e.g. /var/run/secrets/azure/tokens/azure-identity-token).',
    )
  }
  return text
}

/** ACTIONS_ID_TOKEN_REQUEST_URL, refused before any request when it is not a URL or is plain http off loopback (the request token would travel in clear). */
function parseGithubUrl(value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch (cause) {
    throw new ConfigurationError(`ACTIONS_ID_TOKEN_REQUEST_URL is not a URL.`, 'Unset ACTIONS_ID_TOKEN_REQUEST_URL, or let the GitHub Actions runner set it (give the job "permissions: id-token: write").', cause)
  }
  checkUrl(url, 'token', 'ACTIONS_ID_TOKEN_REQUEST_URL')
  return url
}

/** The runner's OIDC token for Entra (docs/entra-protocol.md §6.4 "GitHub Actions OIDC token"), with the audience of the cloud it is exchanged in. */
async function fetchGithubToken(url: string, requestToken: string, audience: string, deps: WorkloadIdentityDeps): Promise<string> {
  const target = parseGithubUrl(url)
  target.searchParams.set('audience', audience)
  deps.logger.verbose(`GET ${target.origin}${target.pathname} (GitHub Actions OIDC token, audience ${audience})`)
  let response
  try {
    response = await deps.http.send({ method: 'GET', url: target.toString(), headers: { Authorization: `bearer ${requestToken}` }, signal: AbortSignal.timeout(10_000) })
  } catch (cause) {
    if (cause instanceof EntraAuthError) throw cause
    throw tlsFailure(cause, target.origin) ?? proxyFailure(cause, target.origin) ?? new EntraAuthError('ERR_NETWORK', `The GitHub Actions token endpoint ${target.origin} did not answer.`, { cause, hint: 'Check the runner\'s network; the token endpoint is ACTIONS_ID_TOKEN_REQUEST_URL.' })
  }
  let value: unknown
  try {
    value = (JSON.parse(response.body) as { value?: unknown }).value
  } catch {
    value = undefined
  }
  if (response.status !== 200 || typeof value !== 'string' || !JWT_SHAPE.test(value)) {
    throw new EntraAuthError('ERR_AUTH_FAILED', `The GitHub Actions token endpoint answered HTTP ${response.status} without a token.`, {
      status: response.status,
      hint: 'Give the job "permissions: id-token: write" so the runner may issue OIDC tokens.',
    })
  }
  deps.addSecret(value)
  return value
}

/** Where the assertion comes from, in order: -ClientAssertion, -FederatedTokenFile, AZURE_FEDERATED_TOKEN_FILE, GitHub Actions. */
async function federatedAssertion(request: WorkloadIdentityRequest, env: Env, cloud: CloudName, deps: WorkloadIdentityDeps): Promise<string> {
  if (request.clientAssertion !== undefined) {
    const assertion = request.clientAssertion.trim()
    if (!JWT_SHAPE.test(assertion)) throw new ConfigurationError('The client assertion is not a JWT.', 'Pass the token your identity provider issued (three base64url parts joined by dots), or a script block that returns it.')
    return assertion
  }
  if (request.federatedTokenFile !== undefined) return readTokenFile(request.federatedTokenFile, '-FederatedTokenFile', deps)
  if (env.federatedTokenFile !== undefined) return readTokenFile(env.federatedTokenFile, 'AZURE_FEDERATED_TOKEN_FILE', deps)
  if (env.actionsIdTokenRequestUrl !== undefined && env.actionsIdTokenRequestToken !== undefined) return fetchGithubToken(env.actionsIdTokenRequestUrl, env.actionsIdTokenRequestToken, CLOUDS[cloud].tokenExchangeAudience, deps)
  throw new CredentialUnavailableError(
    'No federated token here. Checked: -ClientAssertion, -FederatedTokenFile: not given; AZURE_FEDERATED_TOKEN_FILE: not set; ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN (GitHub Actions): not both set.',
    'In Kubernetes, enable workload identity on the pod; in GitHub Actions, give the job "permissions: id-token: write"; or pass -FederatedTokenFile or -ClientAssertion.',
  )
}

/**
 * Exchanges a federated token for an Entra token of the app (or user-assigned identity) that trusts it.
 * Tenant and client come from the request, else AZURE_TENANT_ID and AZURE_CLIENT_ID.
 */
export async function acquireTokenWithWorkloadIdentity(request: WorkloadIdentityRequest, env: Env, deps: WorkloadIdentityDeps): Promise<AccessToken> {
  const tenantId = request.tenantId !== '' ? request.tenantId : env.azureTenantId
  if (tenantId === undefined) throw new ConfigurationError('No tenant for workload identity: -TenantId was not given and AZURE_TENANT_ID is not set.', 'Pass -TenantId with the tenant of the app that has the federated credential.')
  const target = resolveTarget({ ...request, tenantId }, env, false)
  const clientId = validateClientId(request.clientId ?? env.azureClientId, 'for workload identity (or set AZURE_CLIENT_ID)')
  const scope = requireAppOnlyScope(target.scopes)
  const assertion = await federatedAssertion(request, env, target.cloud, deps)
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, scope, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion })
  return requestToken({ endpoint: target.endpoint, form, timeoutSec: target.timeoutSec, correlationId: request.correlationId, hintContext: { tenant: target.tenant, clientId, scopes: [scope] } }, deps)
}
