// The resident core's protocol: one JSON message per line each way, every message tagged with its request's id.

import { EntraAuthError } from '../errors.js'
import { checkRequest, type CoreRequest } from './request.js'
import type { Envelope } from './response.js'

/**
 * In (stdin): `{"id":<n>, ...request fields}` per line. Out (stdout), for each request, any number of
 * `{"id":<n>,"line":"[EntraAuth] <level>: …"}` (log and prompt lines, in order, while the request runs) and then
 * exactly one `{"id":<n>,"envelope":{…}}`, its last message. A line that is not a request with a numeric id is
 * answered with id null. The core exits when stdin ends. test/contract/resident.test.ts is the contract.
 */
export interface WireRequest {
  id: number | null
  read: () => CoreRequest
}

function protocolError(message: string): EntraAuthError {
  return new EntraAuthError('ERR_PROTOCOL', message, { hint: 'The module and its core do not match: reinstall the EntraAuth module.' })
}

/** Splits one input line into its id and a reader that checks the request (its errors become the envelope). */
export function parseWireLine(line: string): WireRequest {
  let body: unknown
  try {
    body = JSON.parse(line)
  } catch {
    return { id: null, read: () => { throw protocolError('A request line on stdin is not JSON.') } }
  }
  const id = typeof body === 'object' && body !== null && typeof (body as { id?: unknown }).id === 'number' ? (body as { id: number }).id : null
  if (id === null) return { id, read: () => { throw protocolError("A request line has no numeric 'id'.") } }
  return { id, read: () => checkRequest(body) }
}

/** A log or prompt line of request `id`, as one output line. */
export function lineMessage(id: number | null, line: string): string {
  return `${JSON.stringify({ id, line: line.replace(/\r?\n$/, '') })}\n`
}

/** The final message of request `id`. */
export function envelopeMessage(id: number | null, envelope: Envelope): string {
  return `${JSON.stringify({ id, envelope })}\n`
}

