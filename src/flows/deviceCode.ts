// The device code flow (RFC 8628; docs/entra-protocol.md §2.5 "Grant: device code (token polling)" and §4 "Device code flow"): show the user a code, poll until they sign in.

import type { Env } from '../config/env.js'
import { EntraAuthError } from '../errors.js'
import { validateClientId } from '../oauth/authority.js'
import { OFFLINE_ACCESS } from '../oauth/scopes.js'
import { deviceCodeEndpoint, requestDeviceAuthorization, type DeviceAuthorization } from '../oauth/deviceAuthorization.js'
import { grantFailure, sendGrant, type TokenEndpointDeps } from '../oauth/tokenEndpoint.js'
import { parseOAuthError, parseTokenResponse, type AccessToken } from '../oauth/tokenResponse.js'
import type { DeviceCodeRequest } from '../protocol/request.js'
import { resolveTarget } from './target.js'

export interface DeviceCodeDeps extends TokenEndpointDeps {
  /** Shows the instruction to the user at once (stderr `[EntraAuth] prompt:` lines, streamed by the module). */
  prompt: (message: string) => void
  /** Keeps the device code out of every log line. */
  addSecret: (value: string) => void
}

/** RFC 8628 section 3.5: each `slow_down` adds 5 seconds to the interval for all later polls. */
const SLOW_DOWN_MS = 5000
/** The grant type Entra documents; the emulator and Entra also take MSAL's short `device_code`. */
const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code'

function minutes(ms: number): string {
  const value = Math.round(ms / 60_000)
  return value >= 1 ? `${value} minute${value === 1 ? '' : 's'}` : `${Math.max(0, Math.round(ms / 1000))} seconds`
}

/** Delegated scopes with offline_access, so Entra sends a refresh token for the session cache. */
function delegatedScopes(scopes: readonly string[]): string[] {
  return scopes.includes(OFFLINE_ACCESS) ? [...scopes] : [...scopes, OFFLINE_ACCESS]
}

function expired(authorization: DeviceAuthorization): EntraAuthError {
  return new EntraAuthError('ERR_DEVICE_CODE_EXPIRED', `The code ${authorization.userCode} expired after ${minutes(authorization.expiresIn * 1000)} before the sign-in was completed.`, {
    hint: `Run the command again and finish signing in at ${authorization.verificationUri} within ${minutes(authorization.expiresIn * 1000)}.`,
  })
}

function timedOut(timeoutSec: number, authorization: DeviceAuthorization): EntraAuthError {
  return new EntraAuthError('ERR_TIMEOUT', `No sign-in with the code ${authorization.userCode} within -TimeoutSec ${timeoutSec} s.`, {
    hint: `Sign in sooner, or raise -TimeoutSec (the code itself is valid for ${minutes(authorization.expiresIn * 1000)}).`,
  })
}

/**
 * Asks for a device code, shows Entra's message, and polls the token endpoint: every `interval` seconds,
 * 5 more after each `slow_down`, never past `expires_in` nor the request's time limit.
 * @throws EntraAuthError ERR_INVALID_REQUEST before any request; ERR_DEVICE_CODE_EXPIRED, ERR_DEVICE_CODE_DECLINED,
 *   ERR_TIMEOUT, ERR_AUTH_FAILED (bad_verification_code, consent, …), ERR_NETWORK, …
 */
export async function acquireTokenWithDeviceCode(request: DeviceCodeRequest, env: Env, deps: DeviceCodeDeps): Promise<AccessToken> {
  const target = resolveTarget(request, env, true)
  const clientId = validateClientId(request.clientId, 'for a device code sign-in (a public client; omit -ClientId for the default, Microsoft Graph Command Line Tools 14d82eec-204b-4c2f-b7e8-296a70dab67e for Graph)')
  const scopes = delegatedScopes(target.scopes)
  const started = deps.clock.now()
  const deadline = started + target.timeoutSec * 1000
  const hintContext = { tenant: target.tenant, clientId, scopes, deviceCode: true }
  const correlationId = request.correlationId

  const authorization = await requestDeviceAuthorization(
    {
      endpoint: deviceCodeEndpoint(target.endpoint),
      form: new URLSearchParams({ client_id: clientId, scope: scopes.join(' ') }),
      timeoutSec: target.timeoutSec,
      correlationId,
      hintContext,
    },
    deps,
  )
  deps.addSecret(authorization.deviceCode)
  deps.prompt(authorization.message)
  const expiresAt = deps.clock.now() + authorization.expiresIn * 1000
  const codeDeadline = Math.min(deadline, expiresAt)
  let intervalMs = authorization.interval * 1000
  deps.logger.verbose(`device code: polling every ${authorization.interval} s for up to ${minutes(codeDeadline - deps.clock.now())}`)

  const form = new URLSearchParams({ grant_type: GRANT_TYPE, client_id: clientId, device_code: authorization.deviceCode })
  for (;;) {
    const now = deps.clock.now()
    if (now + intervalMs >= codeDeadline) {
      // The next poll would come too late: wait out the time the user still has, then stop.
      await deps.clock.sleep(Math.max(0, codeDeadline - now))
      throw codeDeadline === expiresAt ? expired(authorization) : timedOut(target.timeoutSec, authorization)
    }
    await deps.clock.sleep(intervalMs)
    const pollRequest = { endpoint: target.endpoint, form, timeoutSec: Math.max(1, (codeDeadline - deps.clock.now()) / 1000), correlationId, hintContext }
    const answer = await sendGrant(pollRequest, deps, true)
    if (answer.response.status === 200) return parseTokenResponse(answer.response, answer.requestedAt, target.endpoint)
    const oauth = answer.response.status === 400 ? parseOAuthError(answer.response) : undefined
    switch (oauth?.error) {
      case 'authorization_pending':
        continue
      case 'slow_down':
        intervalMs += SLOW_DOWN_MS
        deps.logger.verbose(`device code: slow_down, now polling every ${intervalMs / 1000} s`)
        continue
      case 'expired_token':
        throw expired(authorization)
      case 'authorization_declined':
        throw new EntraAuthError('ERR_DEVICE_CODE_DECLINED', `The sign-in with the code ${authorization.userCode} was declined.`, {
          oauth,
          status: 400,
          hint: 'Run the command again and approve the request on the sign-in page; if it asks for consent you cannot give, ask an admin to grant it.',
        })
      default:
        throw grantFailure(answer, pollRequest)
    }
  }
}
