// The resident core's protocol: one JSON message per line each way, every message tagged with its request's id.

import { protocolError } from './protocolError.js'
import { checkRequest, type CoreRequest } from './request.js'
import { requestText } from './requestText.js'
import type { Envelope } from './response.js'

/**
 * In (stdin): `{"id":<n>, ...request fields}` per line, UTF-8; the module writes `id` first. Out (stdout), for each
 * request, first `{"id":<n>,"accepted":true}` as soon as its line is read (before any network call: a core that ends
 * before that message never began the request, so the module may send it to a new core, and never otherwise), then
 * any number of `{"id":<n>,"line":"[EntraAuth] <level>: …"}` (log and prompt lines, in order, while the request
 * runs) and exactly one `{"id":<n>,"envelope":{…}}`, its last message. Requests run concurrently, so
 * messages of different ids interleave: the module routes each by its id (a call made while another waits, from an
 * event handler, gets its own answers and leaves the other's).
 *
 * A byte order mark in front of a line (U+FEFF: .NET Framework's Process.Start writes one under code page 65001)
 * is ignored, on every line. A line that is not a request is still answered with ERR_PROTOCOL: with its id when
 * the line starts with `{"id":<n>` (so a request whose rest is broken fails at once, not at its deadline), else
 * with id null, which the module takes as the answer to every request it waits for. A UTF-16 line is answered
 * the same way, saying it is UTF-16.
 *
 * Lifetime: the core exits (code 0) when stdin ends, or when `--idle-sec <n>` is given and no request has run for
 * n seconds (src/serve.ts); it never exits while a request runs. test/contract/resident.test.ts is the contract.
 */
export interface WireRequest {
  id: number | null
  read: () => CoreRequest
}

/** The id of a line whose rest may be broken: the module writes `{"id":<n>,` first. */
const ID_PREFIX = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]/


function failing(id: number | null, error: unknown): WireRequest {
  return { id, read: () => { throw error } }
}

/** The id at the start of a line that could not be read as a whole, or null. */
function idPrefix(text: string): number | null {
  const match = ID_PREFIX.exec(text.replace(/\u0000/g, ''))
  return match === null ? null : Number(match[1])
}

/** Splits one input line into its id and a reader that checks the request (its errors become the envelope). */
export function parseWireLine(line: string): WireRequest {
  let text: string
  try {
    text = requestText(line)
  } catch (error) {
    return failing(idPrefix(line.replace(/^[\uFEFF\uFFFD]+/, '')), error)
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (cause) {
    const id = idPrefix(text)
    return failing(id, protocolError(id === null ? 'A request line on stdin is not JSON and does not start with {"id":<n>.' : `Request line ${id} on stdin is not JSON.`, cause))
  }
  const id = typeof body === 'object' && body !== null && typeof (body as { id?: unknown }).id === 'number' ? (body as { id: number }).id : null
  if (id === null) return failing(id, protocolError("A request line has no numeric 'id'."))
  return { id, read: () => checkRequest(body) }
}

/** That the core has read request `id` and begins it: its first message. */
export function acceptedMessage(id: number): string {
  return `${JSON.stringify({ id, accepted: true })}\n`
}

/** A log or prompt line of request `id`, as one output line. */
export function lineMessage(id: number | null, line: string): string {
  return `${JSON.stringify({ id, line: line.replace(/\r?\n$/, '') })}\n`
}

/** The final message of request `id`. */
export function envelopeMessage(id: number | null, envelope: Envelope): string {
  return `${JSON.stringify({ id, envelope })}\n`
}
