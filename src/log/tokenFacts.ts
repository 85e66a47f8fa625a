// One verbose line on what a token is for, so admins can review its permissions: never the token itself. The module
// writes the same facts for a cached token (module/private/output/Format-EntraAuthTokenFacts.ps1), with the same rule
// for the time left (the protocol table's tokenFactsMinutesFromSec).

import type { AccessToken } from '../oauth/tokenResponse.js'
import table from '../protocol/protocol.json' with { type: 'json' }
import { sanitizeServerText } from './sanitizeText.js'

/** Long enough for an app with many roles. */
const MAX_FACTS_LINE = 8000

/**
 * `Bearer token for <aud> (tenant <tid>, app <appid>), expires <iso> (in N min); roles …; scopes …; refresh token kept`.
 * Type and claims are the server's: one line, without terminal sequences.
 */
export function describeToken(token: AccessToken, now: number): string {
  const claims = token.claims
  const secondsLeft = Math.round((Date.parse(token.expiresOn) - now) / 1000)
  const left = secondsLeft >= table.defaults.tokenFactsMinutesFromSec ? `${Math.round(secondsLeft / 60)} min` : `${secondsLeft} s`
  const who = [claims?.tid && `tenant ${claims.tid}`, claims?.appid && `app ${claims.appid}`, claims?.idtyp && `${claims.idtyp} token`].filter(Boolean).join(', ')
  const parts = [
    `token: ${token.tokenType} for ${claims?.aud ?? '(opaque token: audience not readable)'}${who === '' ? '' : ` (${who})`}, expires ${token.expiresOn} (in ${left})`,
  ]
  if (token.refreshIn !== undefined) parts.push(`refresh in ${token.refreshIn} s`)
  if (claims?.roles !== undefined && claims.roles.length > 0) parts.push(`roles ${claims.roles.join(' ')}`)
  else if (claims !== undefined && claims.scp === undefined) parts.push('roles none')
  if (claims?.scp !== undefined) parts.push(`scopes ${claims.scp}`)
  else if (token.scope !== undefined) parts.push(`granted scope ${token.scope}`)
  if (token.refreshToken !== undefined) parts.push('with a refresh token')
  return sanitizeServerText(parts.join('; '), { maxLength: MAX_FACTS_LINE })
}
