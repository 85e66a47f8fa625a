// -Uri: one GET with the token, and a refusal explained from what the token holds.

import type { HttpResponse } from '../http/client.js'
import { CHECK_NAMES, fail, pass, skip, warn, type Check } from './check.js'
import type { TokenFacts } from './tokenChecks.js'

/** The resource a token is for, as its audience names it: the origin, or the GUID of a first-party app. */
function audienceOrigin(aud: string | undefined): string | undefined {
  if (aud === undefined) return undefined
  try {
    return new URL(aud).origin.toLowerCase()
  } catch {
    return undefined
  }
}

export function resourceCheck(
  uri: string | undefined,
  response: HttpResponse | Error | undefined,
  facts: TokenFacts | undefined,
  consentUrl: string | undefined,
): Check {
  if (uri === undefined) return skip(CHECK_NAMES.resource, 'No -Uri given.')
  if (response === undefined) return skip(CHECK_NAMES.resource, 'No token to call it with.')
  if (response instanceof Error)
    return fail(
      CHECK_NAMES.resource,
      `GET ${uri} failed: ${response.message}.`,
      'Check the URI and the network path to it.',
    )
  if (response.status >= 200 && response.status < 300)
    return pass(CHECK_NAMES.resource, `GET ${uri}: HTTP ${response.status}.`)
  const holds =
    facts === undefined
      ? 'an opaque token'
      : `a token for ${facts.aud ?? '(no audience)'} with ${facts.roles.length > 0 ? `roles ${facts.roles.join(', ')}` : facts.scp !== undefined ? `scopes ${facts.scp}` : 'no roles'}`
  if (response.status === 401) {
    const origin = audienceOrigin(facts?.aud)
    const host = new URL(uri).origin.toLowerCase()
    if (origin !== undefined && origin !== host) {
      return fail(
        CHECK_NAMES.resource,
        `GET ${uri}: HTTP 401 for ${holds}: the token is for another resource than ${host}.`,
        `Ask for a token of this resource: -Scope ${host}/.default.`,
      )
    }
    const challenge = response.headers['www-authenticate']
    return fail(
      CHECK_NAMES.resource,
      `GET ${uri}: HTTP 401 for ${holds}${challenge === undefined ? '' : ` (${challenge.slice(0, 200)})`}: the resource does not accept this token.`,
      'Check that -Scope names this resource and -TenantId the tenant the resource trusts.',
    )
  }
  if (response.status === 403) {
    return fail(
      CHECK_NAMES.resource,
      `GET ${uri}: HTTP 403 for ${holds}: the token is accepted but lacks the permission this call needs.`,
      `Add the permission this call needs (the resource's documentation names it) under API permissions and grant admin consent${consentUrl === undefined ? '' : ` (${consentUrl})`}; then get a new token.`,
    )
  }
  return warn(
    CHECK_NAMES.resource,
    `GET ${uri}: HTTP ${response.status}.`,
    "The token was sent; the answer is the resource's own: see its documentation for this status.",
  )
}
