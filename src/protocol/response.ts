// The envelopes the core writes on stdout: exactly one per request, success or failure.

import { EntraAuthError, type EntraAuthErrorCode, type OAuthErrorBody } from '../errors.js'
import type { CanonicalTarget } from '../flows/target.js'
import type { UnsignedAssertion } from '../oauth/clientAssertion.js'
import type { AccessToken } from '../oauth/tokenResponse.js'

export interface SuccessEnvelope {
  ok: true
  token: AccessToken
  /** What the token is for (tenant, client, normalised scopes, authority): the module's session cache keys on it. */
  target: CanonicalTarget
}

/** The answer to `clientCertificatePrepare`: the assertion the wrapper signs and sends back. */
export interface PreparedEnvelope {
  ok: true
  unsignedAssertion: UnsignedAssertion
}

/** The answer to `resolveTarget`: what the call is for, as the core will ask for it. */
export interface TargetEnvelope {
  ok: true
  target: CanonicalTarget
}

export interface SerializedError {
  code: EntraAuthErrorCode
  /** Complete text for people: what happened, what to do (`Fix:`), and Entra's ids for support. */
  message: string
  hint?: string
  status?: number
  oauth?: OAuthErrorBody
}

export interface FailureEnvelope {
  ok: false
  error: SerializedError
}

export type Envelope = SuccessEnvelope | PreparedEnvelope | TargetEnvelope | FailureEnvelope

/** Exit codes: a cross-check of the envelope for callers that only see the process (from the table). */
export { EXIT_CODES } from './table.js'

export function ok(token: AccessToken, target: CanonicalTarget): SuccessEnvelope {
  return { ok: true, token, target }
}

export function prepared(unsignedAssertion: UnsignedAssertion): PreparedEnvelope {
  return { ok: true, unsignedAssertion }
}

export function resolved(target: CanonicalTarget): TargetEnvelope {
  return { ok: true, target }
}

/** The full message: what happened, then the fix, then the ids Microsoft support asks for. */
function fullMessage(error: EntraAuthError): string {
  const ids = [
    error.oauth?.traceId && `Trace ID: ${error.oauth.traceId}`,
    error.oauth?.correlationId && `Correlation ID: ${error.oauth.correlationId}`,
    error.oauth?.timestamp && `Timestamp: ${error.oauth.timestamp}`,
  ].filter(Boolean)
  return `${error.message}${error.hint === undefined ? '' : ` Fix: ${error.hint}`}${ids.length === 0 ? '' : ` (${ids.join(', ')})`}`
}

/** Turns any thrown value into a failure envelope; stack traces never go in it. */
export function fail(error: unknown): FailureEnvelope {
  if (error instanceof EntraAuthError) {
    const serialized: SerializedError = { code: error.code, message: fullMessage(error) }
    if (error.hint !== undefined) serialized.hint = error.hint
    if (error.status !== undefined) serialized.status = error.status
    if (error.oauth !== undefined) serialized.oauth = error.oauth
    return { ok: false, error: serialized }
  }
  return {
    ok: false,
    error: {
      code: 'ERR_INTERNAL',
      message: `The EntraAuth core failed unexpectedly: ${error instanceof Error ? error.name : typeof error}.`,
      hint: 'Run again with -Debug for details and report the issue.',
    },
  }
}

/** One JSON document, one line. */
export function serialize(envelope: Envelope): string {
  return `${JSON.stringify(envelope)}\n`
}
