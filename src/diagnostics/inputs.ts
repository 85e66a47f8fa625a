// The checks that need no network: tenant and cloud, client id, a secret that is really a Secret ID, scopes.

import type { Env } from '../config/env.js'
import { isGuid, resolveAuthority, validateClientId, validateTenant } from '../oauth/authority.js'
import { normalizeScopes, requireAppOnlyScope } from '../oauth/scopes.js'
import type { TokenFlowRequest } from '../protocol/request.js'
import { CHECK_NAMES, failFrom, fail, pass, skip, type Check } from './check.js'

/** The fix for a Secret ID pasted as the secret; written once, shown by the check and in docs/diagnostics.md. */
export const SECRET_ID_FIX =
  "Pass the secret's Value, not its Secret ID: in the portal, App registrations > your app > Certificates & secrets, the Value column is shown only right after the secret is made; if it is gone, make a new secret and copy its Value."

const USER_FLOWS = new Set(['deviceCode', 'interactive', 'refreshToken'])

/** The tenant a request names: -TenantId, else AZURE_TENANT_ID for workload identity. Empty for managed identity. */
export function requestTenant(request: TokenFlowRequest, env: Env): string {
  if (request.tenantId !== '') return request.tenantId
  if (request.flow === 'workloadIdentity') return env.azureTenantId ?? ''
  return ''
}

function tenantCheck(request: TokenFlowRequest, env: Env): Check {
  if (request.flow === 'managedIdentity')
    return skip(
      CHECK_NAMES.tenant,
      'A managed identity belongs to the tenant of its Azure resource; no tenant is passed.',
    )
  try {
    const tenant = validateTenant(requestTenant(request, env), USER_FLOWS.has(request.flow))
    const authority = resolveAuthority({
      authorityHost: request.authorityHost,
      environment: request.environment,
      envAuthorityHost: env.authorityHost,
    })
    return pass(CHECK_NAMES.tenant, `${tenant} in the ${authority.cloud} cloud (login host ${authority.host}).`)
  } catch (error) {
    return failFrom(CHECK_NAMES.tenant, error, 'Pass the Directory (tenant) ID GUID or a verified domain.')
  }
}

function clientIdCheck(request: TokenFlowRequest, env: Env): Check {
  const clientId = request.clientId ?? (request.flow === 'workloadIdentity' ? env.azureClientId : undefined)
  if (request.flow === 'managedIdentity') {
    if (clientId === undefined)
      return skip(CHECK_NAMES.clientId, 'No -ClientId: the system-assigned identity (or another id given) is used.')
    if (!isGuid(clientId.trim()))
      return fail(
        CHECK_NAMES.clientId,
        `The managed identity's client id '${clientId}' is not a GUID.`,
        "Copy the Client ID from the identity's Overview page in the portal.",
      )
    return pass(CHECK_NAMES.clientId, `${clientId.trim()} (a user-assigned identity's client id).`)
  }
  try {
    return pass(CHECK_NAMES.clientId, `${validateClientId(clientId, 'for this call')} is a GUID.`)
  } catch (error) {
    return failFrom(
      CHECK_NAMES.clientId,
      error,
      'Pass -ClientId with the Application (client) ID of the app registration.',
    )
  }
}

function secretCheck(request: TokenFlowRequest): Check {
  const secret = 'clientSecret' in request ? request.clientSecret : undefined
  if (secret === undefined) return skip(CHECK_NAMES.secret, 'This call uses no client secret.')
  if (secret.trim() === '') return fail(CHECK_NAMES.secret, 'The client secret is empty.', SECRET_ID_FIX)
  if (isGuid(secret.trim()))
    return fail(
      CHECK_NAMES.secret,
      'The client secret is a GUID: that is the shape of a Secret ID, not of a secret Value.',
      SECRET_ID_FIX,
    )
  return pass(CHECK_NAMES.secret, 'Given, and not shaped like a Secret ID (not shown).')
}

function scopeCheck(request: TokenFlowRequest): Check {
  try {
    const scopes = normalizeScopes(request.scopes ?? [])
    if (scopes.length === 0) return pass(CHECK_NAMES.scope, "None given: the cloud's Microsoft Graph /.default.")
    if (!USER_FLOWS.has(request.flow) && request.flow !== 'managedIdentity') requireAppOnlyScope(scopes)
    return pass(CHECK_NAMES.scope, scopes.join(' '))
  } catch (error) {
    return failFrom(CHECK_NAMES.scope, error, 'Pass one resource, e.g. https://graph.microsoft.com/.default.')
  }
}

/** Every input check, before anything is sent. */
export function checkInputs(request: TokenFlowRequest, env: Env): Check[] {
  return [tenantCheck(request, env), clientIdCheck(request, env), secretCheck(request), scopeCheck(request)]
}
