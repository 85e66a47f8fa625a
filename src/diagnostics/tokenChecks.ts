// What the one real token request gave: success or Entra's refusal, and what the token holds.

import { decodeJwt } from 'jose'
import type { Authority } from '../oauth/authority.js'
import type { AccessToken } from '../oauth/tokenResponse.js'
import { sanitizeServerText } from '../log/sanitizeText.js'
import { CHECK_NAMES, failFrom, fail, pass, skip, warn, type Check } from './check.js'

export interface TokenFacts {
  aud?: string
  roles: string[]
  scp?: string
  idtyp?: string
  /** Seconds since the epoch. */
  exp?: number
}

/** The claims the checks need, decoded (not verified: the resource verifies). */
export function tokenFacts(accessToken: string): TokenFacts | undefined {
  try {
    const payload = decodeJwt(accessToken)
    const shown = (value: unknown) => (typeof value === 'string' ? sanitizeServerText(value) : undefined)
    const roles = Array.isArray(payload.roles)
      ? payload.roles.filter((role): role is string => typeof role === 'string').map((role) => sanitizeServerText(role))
      : []
    const facts: TokenFacts = { roles }
    const aud = shown(Array.isArray(payload.aud) ? payload.aud[0] : payload.aud)
    if (aud !== undefined) facts.aud = aud
    const scp = shown(payload['scp'])
    if (scp !== undefined) facts.scp = scp
    const idtyp = shown(payload['idtyp'])
    if (idtyp !== undefined) facts.idtyp = idtyp
    if (typeof payload.exp === 'number') facts.exp = payload.exp
    return facts
  } catch {
    return undefined
  }
}

export function tokenCheck(result: AccessToken | Error): Check {
  if (result instanceof Error)
    return failFrom(CHECK_NAMES.token, result, 'Run the same call with -Debug for the whole exchange.')
  return pass(CHECK_NAMES.token, `Entra issued a ${result.tokenType} token, valid until ${result.expiresOn}.`)
}

/** The admin consent page of the app in its cloud: where an admin grants the permissions the app asks for. */
export function adminConsentUrl(authority: Authority, tenant: string, clientId: string): string {
  return `${authority.host}/${encodeURIComponent(tenant)}/adminconsent?client_id=${encodeURIComponent(clientId)}`
}

export interface ClaimsContext {
  authority: Authority
  /** Empty for managed identities. */
  tenant: string
  clientId: string | undefined
  appOnly: boolean
  managedIdentity: boolean
  now: number
}

export function claimsCheck(result: AccessToken | Error, context: ClaimsContext): Check {
  if (result instanceof Error) return skip(CHECK_NAMES.claims, 'No token: the token request failed.')
  const facts = tokenFacts(result.accessToken)
  if (facts === undefined) return skip(CHECK_NAMES.claims, 'The token is not a JWT; only the resource can read it.')
  const minutes = facts.exp === undefined ? undefined : Math.round((facts.exp * 1000 - context.now) / 60_000)
  const expiry = minutes === undefined ? 'no expiry claim' : `expires in ${minutes} min`
  const audience = `audience ${facts.aud ?? '(none)'}`
  if (facts.roles.length > 0)
    return pass(CHECK_NAMES.claims, `${audience}, roles ${facts.roles.join(', ')}, ${expiry}.`)
  if (facts.scp !== undefined && facts.idtyp !== 'app')
    return pass(CHECK_NAMES.claims, `${audience}, delegated scopes ${facts.scp}, ${expiry}.`)
  if (!context.appOnly)
    return warn(
      CHECK_NAMES.claims,
      `${audience}, no roles and no scopes, ${expiry}.`,
      'Grant the permissions the resource needs, then get a new token.',
    )
  if (context.managedIdentity) {
    return fail(
      CHECK_NAMES.claims,
      `${audience}, no roles, ${expiry}: the managed identity holds no app role of this resource, so the resource refuses it (403).`,
      "Assign the app roles to the managed identity's service principal (New-MgServicePrincipalAppRoleAssignment, or az rest to appRoleAssignments), or Azure RBAC roles for Azure resources.",
    )
  }
  const url =
    context.clientId === undefined ? undefined : adminConsentUrl(context.authority, context.tenant, context.clientId)
  return fail(
    CHECK_NAMES.claims,
    `${audience}, no roles, ${expiry}: an app-only token without roles means no application permission of this resource has admin consent, so the resource refuses it (403).`,
    `Add the application permissions under API permissions and grant admin consent${url === undefined ? '' : `, or have an admin open ${url}`}.`,
  )
}
