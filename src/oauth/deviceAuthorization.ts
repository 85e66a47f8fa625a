// The device authorization request (RFC 8628 section 3.1; docs/entra-protocol.md §4.1 "Device authorization request"): a user code to show, a device code to poll with.

import { EntraAuthError } from '../errors.js'
import { grantFailure, sendGrant, type TokenEndpointDeps, type TokenRequest } from './tokenEndpoint.js'
import { describeBody, PROXY_HINT } from './tokenResponse.js'

/** What Entra answers at /devicecode (doc 4.1: exactly six fields). */
export interface DeviceAuthorization {
  deviceCode: string
  userCode: string
  verificationUri: string
  expiresIn: number
  /** Seconds between polls; RFC 8628 says 5 when absent; never under MIN_INTERVAL_SECONDS. */
  interval: number
  /** Entra's own instruction for people, localised. */
  message: string
}

/** RFC 8628 section 3.2: the default polling interval. */
const DEFAULT_INTERVAL_SECONDS = 5
/**
 * The shortest interval the core polls at, whatever the server says: an `interval` of 0 (or a fraction) would
 * otherwise send requests as fast as the server answers (1,873 polls in 3 s against a hostile endpoint).
 */
export const MIN_INTERVAL_SECONDS = 1

/** `/{tenant}/oauth2/v2.0/devicecode` beside the token endpoint, as msal-node derives it (doc 0.6). */
export function deviceCodeEndpoint(tokenEndpoint: string): string {
  return tokenEndpoint.replace(/\/token$/, '/devicecode')
}

function seconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) return Number(value)
  return undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * Starts a device code sign-in.
 * @param request the /devicecode endpoint and a form with client_id and scope
 * @throws EntraAuthError ERR_AUTH_FAILED (unknown app, bad scope), ERR_INVALID_RESPONSE, ERR_NETWORK, ERR_TIMEOUT, …
 */
export async function requestDeviceAuthorization(request: TokenRequest, deps: TokenEndpointDeps): Promise<DeviceAuthorization> {
  const answer = await sendGrant(request, deps)
  if (answer.response.status !== 200) throw grantFailure(answer, request)
  let body: Record<string, unknown> | undefined
  try {
    const parsed: unknown = JSON.parse(answer.response.body)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>
  } catch {
    body = undefined
  }
  const deviceCode = text(body?.device_code)
  const userCode = text(body?.user_code)
  const verificationUri = text(body?.verification_uri) ?? text(body?.verification_url)
  if (body === undefined || deviceCode === undefined || userCode === undefined || verificationUri === undefined) {
    const what = body === undefined ? describeBody(answer.response) : 'a JSON body without device_code, user_code or verification_uri'
    throw new EntraAuthError('ERR_INVALID_RESPONSE', `${request.endpoint} answered HTTP 200 with ${what}, not a device code.`, { status: 200, hint: PROXY_HINT })
  }
  return {
    deviceCode,
    userCode,
    verificationUri,
    expiresIn: seconds(body.expires_in) ?? 900,
    interval: Math.max(MIN_INTERVAL_SECONDS, seconds(body.interval) ?? DEFAULT_INTERVAL_SECONDS),
    message: text(body.message) ?? `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
  }
}
