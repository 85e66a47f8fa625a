// The one way the core says it cannot read a request: ERR_PROTOCOL, whose fix is always the same.

import { EntraAuthError } from '../errors.js'

const PROTOCOL_HINT = 'The module and its core do not match: reinstall the EntraAuth module.'

/** ERR_PROTOCOL with `message` (never a secret's value) and, when there was one, the error that led to it. */
export function protocolError(message: string, cause?: unknown, hint: string = PROTOCOL_HINT): EntraAuthError {
  return new EntraAuthError('ERR_PROTOCOL', message, cause === undefined ? { hint } : { hint, cause })
}
