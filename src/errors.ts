// The error family of the core: stable codes that cross the process boundary, one message table.

import { sanitizeServerText } from './log/sanitizeText.js'
import type { ModuleErrorCode, ProtocolErrorCode, Same } from './protocol/table.js'

/** Messages quote servers (descriptions, MI errors, content types): no terminal sequences, bounded. */
const MAX_MESSAGE = 8000

/** Codes that PowerShell turns into `FullyQualifiedErrorId = "EntraAuth.<code>"`. */
export type EntraAuthErrorCode =
  | 'ERR_INVALID_REQUEST'
  | 'ERR_PROTOCOL'
  | 'ERR_AUTH_FAILED'
  | 'ERR_CREDENTIAL_UNAVAILABLE'
  | 'ERR_THROTTLED'
  | 'ERR_SERVICE_UNAVAILABLE'
  | 'ERR_INVALID_RESPONSE'
  | 'ERR_NETWORK'
  | 'ERR_TLS'
  | 'ERR_TIMEOUT'
  | 'ERR_DEVICE_CODE_EXPIRED'
  | 'ERR_DEVICE_CODE_DECLINED'
  | 'ERR_SIGN_IN_DECLINED'
  | 'ERR_STATE_MISMATCH'
  | 'ERR_INTERNAL'

/** The table (src/protocol/protocol.json) lists exactly these codes and the module's own: typecheck fails otherwise. */
const codesMatchTable: Same<ProtocolErrorCode, EntraAuthErrorCode | ModuleErrorCode> = true
void codesMatchTable

/** What Entra said, parsed from its JSON error body (docs/entra-protocol.md §5.1 "Shape"). */
export interface OAuthErrorBody {
  error: string
  errorDescription?: string
  errorCodes?: number[]
  aadsts?: string
  suberror?: string
  traceId?: string
  correlationId?: string
  timestamp?: string
  errorUri?: string
}

/** The default message of each code: what it means (also the Meaning column of docs/troubleshooting.md). */
export const defaultMessages: Readonly<Record<EntraAuthErrorCode, string>> = {
  ERR_INVALID_REQUEST: 'The request is not valid.',
  ERR_PROTOCOL: 'The EntraAuth core received a request it cannot read.',
  ERR_AUTH_FAILED: 'Microsoft Entra ID refused the token request.',
  ERR_CREDENTIAL_UNAVAILABLE: 'This credential cannot be used on this machine.',
  ERR_THROTTLED: 'Microsoft Entra ID throttled the token request (HTTP 429).',
  ERR_SERVICE_UNAVAILABLE: 'Microsoft Entra ID is unavailable (HTTP 5xx).',
  ERR_INVALID_RESPONSE: 'The token endpoint answered with something that is not a token response.',
  ERR_NETWORK: 'The token endpoint could not be reached.',
  ERR_TLS: 'The TLS certificate of the token endpoint is not trusted.',
  ERR_TIMEOUT: 'The token request did not finish in time.',
  ERR_DEVICE_CODE_EXPIRED: 'The device code expired before the sign-in was completed.',
  ERR_DEVICE_CODE_DECLINED: 'The sign-in was declined.',
  ERR_SIGN_IN_DECLINED: 'The sign-in or consent was declined in the browser.',
  ERR_STATE_MISMATCH: 'The browser came back with a state this sign-in did not send.',
  ERR_INTERNAL: 'The EntraAuth core failed unexpectedly.',
}

export interface EntraAuthErrorOptions {
  cause?: unknown
  hint?: string
  status?: number
  oauth?: OAuthErrorBody
}

/** Base class of every error the core reports. `message` never contains a secret or token. */
export class EntraAuthError extends Error {
  readonly code: EntraAuthErrorCode
  /** What the user should do about it. */
  readonly hint: string | undefined
  /** HTTP status of the last answer, when there was one. */
  readonly status: number | undefined
  readonly oauth: OAuthErrorBody | undefined

  constructor(code: EntraAuthErrorCode, message?: string, options: EntraAuthErrorOptions = {}) {
    super(sanitizeServerText(message ?? defaultMessages[code], { keepNewlines: true, maxLength: MAX_MESSAGE }), options.cause === undefined ? undefined : { cause: options.cause })
    this.name = this.constructor.name
    this.code = code
    this.hint = options.hint === undefined ? undefined : sanitizeServerText(options.hint, { keepNewlines: true, maxLength: MAX_MESSAGE })
    this.status = options.status
    this.oauth = options.oauth
  }
}

/** Bad input or configuration, found before any network call; `cause` is what failed when that was a parser. */
export class ConfigurationError extends EntraAuthError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super('ERR_INVALID_REQUEST', message, { ...(hint === undefined ? {} : { hint }), ...(cause === undefined ? {} : { cause }) })
  }
}

/** Entra answered with an OAuth error (wrong secret, unknown app, bad scope, …). */
export class AuthenticationError extends EntraAuthError {
  constructor(message: string, options: EntraAuthErrorOptions & { oauth: OAuthErrorBody; status: number }) {
    super('ERR_AUTH_FAILED', message, options)
  }
}

/** The flow cannot run here at all (no managed identity endpoint, no federated token). */
export class CredentialUnavailableError extends EntraAuthError {
  constructor(message: string, hint: string, cause?: unknown) {
    super('ERR_CREDENTIAL_UNAVAILABLE', message, cause === undefined ? { hint } : { hint, cause })
  }
}
