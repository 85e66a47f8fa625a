// POSTs a grant to the v2.0 token endpoint with bounded retries and turns every ending into a token or an error.

import { randomUUID } from 'node:crypto'
import { EntraAuthError } from '../errors.js'
import type { HttpClient, HttpResponse } from '../http/client.js'
import { proxyFailure } from '../http/proxy.js'
import { tlsFailure } from '../http/trust.js'
import { errorCode, withRetry, type Clock, type RetryOutcome } from '../http/retry.js'
import type { Logger } from '../log/logger.js'
import type { HintContext } from './errorHints.js'
import {
  authenticationError,
  describeBody,
  parseOAuthError,
  parseTokenResponse,
  PROXY_HINT,
  type AccessToken,
} from './tokenResponse.js'

export interface TokenEndpointDeps {
  http: HttpClient
  clock: Clock
  logger: Logger
}

export interface TokenRequest {
  endpoint: string
  /** Form fields of the grant; secrets included, so never logged. */
  form: URLSearchParams
  timeoutSec: number
  hintContext: HintContext
  correlationId?: string | undefined
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'TimeoutError' ||
      errorCode(error) === 'UND_ERR_HEADERS_TIMEOUT' ||
      errorCode(error) === 'UND_ERR_BODY_TIMEOUT')
  )
}

function networkError(error: unknown, request: TokenRequest, outcome: RetryOutcome): EntraAuthError {
  // Already ours: a URL the rule refused (http/urlPolicy.ts) before anything was sent.
  if (error instanceof EntraAuthError) return error
  const host = new URL(request.endpoint).origin
  const code = errorCode(error)
  const tries = `${outcome.attempts} ${outcome.attempts === 1 ? 'try' : 'tries'}`
  if (isTimeout(error)) {
    return new EntraAuthError('ERR_TIMEOUT', `No token from ${host} within ${request.timeoutSec} s (${tries}).`, {
      cause: error,
      hint: 'Check the network path to the login host (proxy, firewall), or raise -TimeoutSec.',
    })
  }
  const refused = tlsFailure(error, host) ?? proxyFailure(error, host)
  if (refused !== undefined) return refused
  const reason = outcome.gaveUpReason === undefined ? '' : `; ${outcome.gaveUpReason}`
  return new EntraAuthError(
    'ERR_NETWORK',
    `Could not reach ${host} (${code ?? (error instanceof Error ? error.message : String(error))}) after ${tries}${reason}.`,
    {
      cause: error,
      hint: 'Check DNS, firewall and proxy settings (-Proxy, ENTRAAUTH_PROXY, HTTPS_PROXY, NO_PROXY, the system proxy) for the login host, or -AuthorityHost.',
    },
  )
}

function statusError(response: HttpResponse, request: TokenRequest, outcome: RetryOutcome): EntraAuthError {
  const oauth = parseOAuthError(response)
  const gaveUp = outcome.gaveUpReason === undefined ? '' : ` (${outcome.gaveUpReason})`
  if (response.status === 429) {
    const retryAfter = response.headers['retry-after']
    return new EntraAuthError('ERR_THROTTLED', `Entra throttled the token request (HTTP 429)${gaveUp}.`, {
      status: 429,
      ...(oauth === undefined ? {} : { oauth }),
      hint: `Wait${retryAfter === undefined ? '' : ` ${retryAfter} s (Retry-After)`} before asking again, and reuse tokens until they expire instead of asking once per call.`,
    })
  }
  if (response.status >= 500) {
    const said = oauth?.errorDescription === undefined ? '' : `: ${oauth.errorDescription.split(/\r?\n/)[0]}`
    return new EntraAuthError('ERR_SERVICE_UNAVAILABLE', `Entra answered HTTP ${response.status}${said}${gaveUp}.`, {
      status: response.status,
      ...(oauth === undefined ? {} : { oauth }),
      hint: 'The service is having trouble: try again in a few minutes; check https://status.azure.com if it persists.',
    })
  }
  if (oauth !== undefined) return authenticationError(response.status, oauth, request.hintContext)
  return new EntraAuthError(
    'ERR_INVALID_RESPONSE',
    `${request.endpoint} answered HTTP ${response.status} with ${describeBody(response)}, not an OAuth error.`,
    {
      status: response.status,
      hint: PROXY_HINT,
    },
  )
}

/** What came back from a grant: the last answer after retries, and when its request was sent. */
export interface GrantAnswer {
  response: HttpResponse
  requestedAt: number
  outcome: RetryOutcome
}

/**
 * POSTs one form with bounded retries and returns the answer, whatever its status.
 * @param quiet log the request and answer at debug level only (device code polls repeat them)
 * @throws EntraAuthError ERR_NETWORK, ERR_TLS or ERR_TIMEOUT when no answer came
 */
export async function sendGrant(request: TokenRequest, deps: TokenEndpointDeps, quiet = false): Promise<GrantAnswer> {
  const log = quiet ? deps.logger.debug : deps.logger.verbose
  const started = deps.clock.now()
  const deadline = started + request.timeoutSec * 1000
  const correlationId = request.correlationId ?? randomUUID()
  const grant = request.form.get('grant_type') ?? 'device authorization'
  log(
    `POST ${request.endpoint} (grant ${grant}, scope ${request.form.get('scope') ?? '-'}, client-request-id ${correlationId})`,
  )
  let requestedAt = started
  const outcome = await withRetry(
    (remainingMs) => {
      requestedAt = deps.clock.now()
      return deps.http.postForm(request.endpoint, request.form, {
        headers: { 'client-request-id': correlationId, 'return-client-request-id': 'true' },
        signal: AbortSignal.timeout(remainingMs),
      })
    },
    { clock: deps.clock, logger: deps.logger, deadline },
  )
  if (outcome.kind === 'error') throw networkError(outcome.error, request, outcome)
  const { response } = outcome
  log(
    `HTTP ${response.status} after ${deps.clock.now() - started} ms (${outcome.attempts} ${outcome.attempts === 1 ? 'try' : 'tries'}, x-ms-request-id ${response.headers['x-ms-request-id'] ?? '-'})`,
  )
  return { response, requestedAt, outcome }
}

/** The error for an answer that is not a 200: throttling, outage, Entra's OAuth error, or something else. */
export function grantFailure(answer: GrantAnswer, request: TokenRequest): EntraAuthError {
  return statusError(answer.response, request, answer.outcome)
}

/**
 * Sends one grant and returns the token.
 * @throws EntraAuthError ERR_AUTH_FAILED, ERR_THROTTLED, ERR_SERVICE_UNAVAILABLE, ERR_INVALID_RESPONSE,
 *   ERR_NETWORK, ERR_TLS or ERR_TIMEOUT
 */
export async function requestToken(request: TokenRequest, deps: TokenEndpointDeps): Promise<AccessToken> {
  const answer = await sendGrant(request, deps)
  if (answer.response.status !== 200) throw grantFailure(answer, request)
  return parseTokenResponse(answer.response, answer.requestedAt, request.endpoint)
}
