// What every managed identity source shares: the source contract, bounded requests, and reading the answer.

import { EntraAuthError } from '../../errors.js'
import type { HttpClient, HttpRequest, HttpResponse } from '../../http/client.js'
import { errorCode, withRetry, type Clock } from '../../http/retry.js'
import { tlsFailure } from '../../http/trust.js'
import type { Logger } from '../../log/logger.js'
import { sanitizeServerText } from '../../log/sanitizeText.js'
import type { AccessToken } from '../../oauth/tokenResponse.js'
import { checkTokenLifetime } from '../../oauth/tokenLifetime.js'
import { readClaims } from '../../oauth/tokenResponse.js'
import { describeIdentity, type UserAssignedIdentity } from './identity.js'

export interface ManagedIdentityContext {
  /** Never through a proxy (http/urlPolicy.ts). */
  http: HttpClient
  clock: Clock
  logger: Logger
  /** Epoch ms: no try starts after it. */
  deadline: number
  timeoutSec: number
}

/** One place Azure runs code: its endpoint, how to ask it for a token, and which identities it takes. */
export interface ManagedIdentitySource {
  /** For messages: "App Service", "Azure Arc", … */
  readonly name: string
  /** Undefined when the source takes this identity; else why not. */
  unsupported(identity: UserAssignedIdentity | undefined): string | undefined
  getToken(resource: string, identity: UserAssignedIdentity | undefined, context: ManagedIdentityContext): Promise<AccessToken>
}

/** Statuses the managed identity endpoints answer while they are busy or updating (docs/entra-protocol.md §7.9 "Retry behaviour against MI endpoints"). */
export function isRetryableManagedIdentityStatus(status: number): boolean {
  return status === 404 || status === 408 || status === 429 || status >= 500
}

/** IMDS also answers 410 while it updates ("available within 70 seconds"). */
export function isRetryableImdsStatus(status: number): boolean {
  return status === 410 || isRetryableManagedIdentityStatus(status)
}

/** Sends a request with bounded retries; returns the last response, or throws a network error naming the source. */
export async function sendWithRetry(
  source: string,
  request: HttpRequest,
  context: ManagedIdentityContext,
  retryableStatus: (status: number) => boolean = isRetryableManagedIdentityStatus,
): Promise<HttpResponse> {
  const endpoint = new URL(request.url)
  context.logger.verbose(`${request.method} ${endpoint.origin}${endpoint.pathname} (${source}, api-version ${endpoint.searchParams.get('api-version') ?? '-'})`)
  const started = context.clock.now()
  const outcome = await withRetry((remainingMs) => context.http.send({ ...request, signal: AbortSignal.timeout(remainingMs) }), {
    clock: context.clock,
    logger: context.logger,
    deadline: context.deadline,
    maxAttempts: 4,
    retryableStatus,
  })
  if (outcome.kind === 'error') {
    if (outcome.error instanceof EntraAuthError) throw outcome.error
    const code = errorCode(outcome.error)
    if (code === 'ERR_TLS_CERT_PIN_MISMATCH') {
      throw new EntraAuthError('ERR_TLS', `The ${source} managed identity endpoint ${endpoint.origin} presented a certificate whose thumbprint is not IDENTITY_SERVER_THUMBPRINT.`, {
        cause: outcome.error,
        hint: 'Something else answers on IDENTITY_ENDPOINT, or IDENTITY_SERVER_THUMBPRINT is stale: check the Service Fabric cluster configuration.',
      })
    }
    const untrusted = tlsFailure(outcome.error, endpoint.origin)
    if (untrusted !== undefined) throw untrusted
    const timedOut = outcome.error instanceof Error && outcome.error.name === 'TimeoutError'
    throw new EntraAuthError(timedOut ? 'ERR_TIMEOUT' : 'ERR_NETWORK', `The ${source} managed identity endpoint ${endpoint.origin} did not answer (${timedOut ? `no answer within ${context.timeoutSec} s` : (code ?? 'network error')}).`, {
      cause: outcome.error,
      hint: 'Check that the managed identity endpoint is reachable from this process; it is never reached through a proxy.',
    })
  }
  context.logger.verbose(`HTTP ${outcome.response.status} after ${context.clock.now() - started} ms (${outcome.attempts} ${outcome.attempts === 1 ? 'try' : 'tries'}${outcome.gaveUpReason === undefined ? '' : `, ${outcome.gaveUpReason}`})`)
  return outcome.response
}

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/**
 * `expires_on` as the endpoints send it: epoch seconds as a number or a string, ISO 8601, or the
 * App Service 2017 form `11/26/2026 06:00:00 +00:00`. Returns epoch ms, or undefined.
 */
export function parseExpiresOn(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000
  const legacy = text.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ([+-]\d{2}):(\d{2})$/)
  if (legacy !== null) {
    const [, month, day, year, hour, minute, second, offsetHours, offsetMinutes] = legacy.map(Number) as number[]
    const offset = (Math.abs(offsetHours!) * 60 + offsetMinutes!) * (text.includes(' -') ? -1 : 1)
    return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!) - offset * 60_000
  }
  const iso = Date.parse(text)
  return Number.isNaN(iso) ? undefined : iso
}

/** The message of an MI error body in any of its shapes (IMDS/Arc/SF, App Service, Cloud Shell). */
function errorText(body: Record<string, unknown> | undefined): string | undefined {
  if (body === undefined) return undefined
  const nested = body.error
  if (typeof nested === 'object' && nested !== null) {
    const { code, message } = nested as Record<string, unknown>
    return [code, message].filter((part) => typeof part === 'string').join(': ') || undefined
  }
  const parts = [body.error, body.error_description ?? body.message ?? body.Message].filter((part) => typeof part === 'string' && part !== '')
  return parts.length === 0 ? undefined : parts.join(': ')
}

function hintForFailure(status: number, text: string, source: string, identity: UserAssignedIdentity | undefined): string {
  if (/identity not found|no (user assigned|managed identity)|not found for specified/i.test(text)) {
    return identity === undefined
      ? `Turn on the system-assigned identity of this ${source === 'App Service' ? 'App Service, Function App or Automation account' : 'resource'} (its Identity page), or name a user-assigned one with -ClientId.`
      : `Assign ${describeIdentity(identity)} to this resource (its Identity page, User assigned), or check the id.`
  }
  if (status === 400 && /resource|AADSTS50001|500011/i.test(text)) return 'Check -Scope: managed identity tokens are for one resource, e.g. https://management.azure.com.'
  if (status === 401 || status === 403) return `The ${source} endpoint refused the request: check that this process may use the managed identity endpoint.`
  return `Check the managed identity configuration of this ${source} resource.`
}

/**
 * Reads an MI token answer.
 * @throws EntraAuthError ERR_AUTH_FAILED for a refusal, ERR_SERVICE_UNAVAILABLE for 5xx, ERR_INVALID_RESPONSE otherwise
 */
export function readManagedIdentityResponse(response: HttpResponse, source: string, identity: UserAssignedIdentity | undefined, now: number): AccessToken {
  const body = parseJson(response.body)
  if (response.status !== 200) {
    const text = errorText(body) ?? (response.body.trim() === '' ? 'an empty body' : 'a body that is not JSON')
    const code = response.status >= 500 || response.status === 429 || response.status === 404 || response.status === 410 ? 'ERR_SERVICE_UNAVAILABLE' : 'ERR_AUTH_FAILED'
    throw new EntraAuthError(code, `The ${source} managed identity endpoint refused ${describeIdentity(identity)} (HTTP ${response.status}): ${text}`, {
      status: response.status,
      hint: hintForFailure(response.status, text, source, identity),
    })
  }
  const accessToken = typeof body?.access_token === 'string' && body.access_token !== '' ? body.access_token : undefined
  const lifetimeMs = parseExpiresOn(body?.expires_in)
  const expiresOn = parseExpiresOn(body?.expires_on) ?? (lifetimeMs === undefined ? undefined : now + lifetimeMs)
  if (accessToken === undefined || expiresOn === undefined) {
    throw new EntraAuthError('ERR_INVALID_RESPONSE', `The ${source} managed identity endpoint answered HTTP 200 without ${accessToken === undefined ? 'access_token' : 'expires_on'}.`, {
      status: 200,
      hint: 'The endpoint named by the environment is not a managed identity endpoint: check IDENTITY_ENDPOINT, MSI_ENDPOINT or AZURE_POD_IDENTITY_AUTHORITY_HOST.',
    })
  }
  const lifetime = checkTokenLifetime(
    Math.round((expiresOn - now) / 1000),
    `The ${source} managed identity endpoint answered a token whose expires_on is in`,
    200,
    'A token already expired or valid for more than a week is not what a managed identity endpoint issues: check this machine\'s clock, and IDENTITY_ENDPOINT, MSI_ENDPOINT or AZURE_POD_IDENTITY_AUTHORITY_HOST.',
  )
  const token: AccessToken = {
    tokenType: typeof body?.token_type === 'string' ? sanitizeServerText(body.token_type) : 'Bearer',
    accessToken,
    expiresOn: new Date(expiresOn).toISOString(),
    expiresIn: lifetime,
  }
  const claims = readClaims(accessToken)
  if (claims !== undefined) token.claims = claims
  return token
}
