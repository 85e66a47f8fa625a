// Reads a token endpoint's answer: a token, Entra's OAuth error, or a clear error for anything else.

import { decodeJwt } from 'jose'
import { AuthenticationError, EntraAuthError, type OAuthErrorBody } from '../errors.js'
import type { HttpResponse } from '../http/client.js'
import { sanitizeServerText } from '../log/sanitizeText.js'
import { hintFor, type HintContext } from './errorHints.js'
import { checkTokenLifetime, usableRefreshIn } from './tokenLifetime.js'

const LIFETIME_HINT = 'Entra gives tokens a lifetime of minutes to hours: the endpoint is not Entra, or a proxy rewrote the answer; check -AuthorityHost, AZURE_AUTHORITY_HOST and HTTPS_PROXY.'

export const PROXY_HINT =
  'A proxy, firewall or captive portal may be answering in place of Entra: check -AuthorityHost, AZURE_AUTHORITY_HOST and HTTPS_PROXY.'

/** A token as the core returns it. `claims` is decoded for display only, never verified. */
export interface AccessToken {
  tokenType: string
  accessToken: string
  /** ISO 8601 UTC */
  expiresOn: string
  expiresIn: number
  refreshIn?: number
  refreshToken?: string
  scope?: string
  claims?: TokenClaims
}

/** Facts about a token that are safe to show: whom it is for and what it may do. */
export interface TokenClaims {
  aud?: string
  tid?: string
  appid?: string
  roles?: string[]
  scp?: string
  idtyp?: string
}

/** Says what kind of body came back, without quoting it. */
export function describeBody(response: HttpResponse): string {
  const type = response.headers['content-type'] ?? 'no content type'
  const trimmed = response.body.trimStart()
  if (/^<(!doctype|html)/i.test(trimmed)) return `an HTML page (${type})`
  if (trimmed === '') return 'an empty body'
  return `a body that is not JSON (${type}, ${response.body.length} bytes)`
}

function parseJsonObject(response: HttpResponse): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(response.body)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value)
  return undefined
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** A text field of an error body, as it may be shown: no terminal sequences (log/sanitizeText.ts). */
function asShownString(value: unknown): string | undefined {
  const text = asString(value)
  return text === undefined ? undefined : sanitizeServerText(text, { keepNewlines: true })
}

/** Entra's error body (docs/entra-protocol.md §5.1 "Shape"), or undefined when the body is not one. */
export function parseOAuthError(response: HttpResponse): OAuthErrorBody | undefined {
  const body = parseJsonObject(response)
  const error = asShownString(body?.error)
  if (body === undefined || error === undefined) return undefined
  const errorCodes = Array.isArray(body.error_codes) ? body.error_codes.map(asNumber).filter((code) => code !== undefined) : undefined
  const description = asShownString(body.error_description)
  const aadsts = description?.match(/^(AADSTS\d+)/)?.[1] ?? (errorCodes?.[0] === undefined ? undefined : `AADSTS${errorCodes[0]}`)
  const parsed: OAuthErrorBody = { error }
  if (description !== undefined) parsed.errorDescription = description
  if (errorCodes !== undefined && errorCodes.length > 0) parsed.errorCodes = errorCodes
  if (aadsts !== undefined) parsed.aadsts = aadsts
  for (const [field, key] of [
    ['suberror', 'suberror'],
    ['trace_id', 'traceId'],
    ['correlation_id', 'correlationId'],
    ['timestamp', 'timestamp'],
    ['error_uri', 'errorUri'],
  ] as const) {
    const value = asShownString(body[field])
    if (value !== undefined) parsed[key] = value
  }
  return parsed
}

/** The first line of Entra's description, without the trace lines it appends. */
function firstSentences(description: string): string {
  return description.split(/\r?\n|\s+Trace ID:/)[0]?.trim() ?? description
}

/** Turns Entra's error body into an AuthenticationError with a hint and the ids support will ask for. */
export function authenticationError(status: number, oauth: OAuthErrorBody, context: HintContext): AuthenticationError {
  const what = oauth.errorDescription === undefined ? `${oauth.error} (HTTP ${status})` : firstSentences(oauth.errorDescription)
  const hint = hintFor(oauth.errorCodes, oauth.error, context)
  const message = `Entra refused the token request: ${what}`
  return new AuthenticationError(message, { status, oauth, ...(hint === undefined ? {} : { hint }) })
}

/** Display facts of a JWT access token, or undefined for an opaque one. Never verified; shown, so sanitised. */
export function readClaims(accessToken: string): TokenClaims | undefined {
  try {
    const payload = decodeJwt(accessToken)
    const claims: TokenClaims = {}
    const shown = (value: string) => sanitizeServerText(value)
    if (typeof payload.aud === 'string') claims.aud = shown(payload.aud)
    for (const key of ['tid', 'appid', 'scp', 'idtyp'] as const) {
      const value = payload[key]
      if (typeof value === 'string') claims[key] = shown(value)
    }
    if (Array.isArray(payload.roles)) claims.roles = payload.roles.filter((role): role is string => typeof role === 'string').map(shown)
    return claims
  } catch {
    return undefined
  }
}

/**
 * Reads a 200 answer into an AccessToken.
 * @throws EntraAuthError ERR_INVALID_RESPONSE for HTML, truncated JSON or a body without access_token
 */
export function parseTokenResponse(response: HttpResponse, requestedAt: number, endpoint: string): AccessToken {
  const body = parseJsonObject(response)
  if (body === undefined) {
    throw new EntraAuthError('ERR_INVALID_RESPONSE', `${endpoint} answered HTTP ${response.status} with ${describeBody(response)} instead of a JSON token response.`, {
      status: response.status,
      hint: PROXY_HINT,
    })
  }
  const accessToken = asString(body.access_token)
  const expiresIn = asNumber(body.expires_in)
  if (accessToken === undefined || expiresIn === undefined) {
    const missing = accessToken === undefined ? 'access_token' : 'expires_in'
    throw new EntraAuthError('ERR_INVALID_RESPONSE', `${endpoint} answered HTTP ${response.status} without '${missing}'.`, {
      status: response.status,
      hint: 'The endpoint is not an Entra token endpoint, or a proxy rewrote the answer: check -AuthorityHost and HTTPS_PROXY.',
    })
  }
  const lifetime = checkTokenLifetime(expiresIn, `${endpoint} answered HTTP ${response.status} with expires_in`, response.status, LIFETIME_HINT)
  const token: AccessToken = {
    tokenType: asShownString(body.token_type) ?? 'Bearer',
    accessToken,
    expiresIn: lifetime,
    expiresOn: new Date(requestedAt + lifetime * 1000).toISOString(),
  }
  const refreshIn = usableRefreshIn(asNumber(body.refresh_in), lifetime)
  if (refreshIn !== undefined) token.refreshIn = refreshIn
  const refreshToken = asString(body.refresh_token)
  if (refreshToken !== undefined) token.refreshToken = refreshToken
  const scope = asString(body.scope)
  if (scope !== undefined) token.scope = scope
  const claims = readClaims(accessToken)
  if (claims !== undefined) token.claims = claims
  return token
}
