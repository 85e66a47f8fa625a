// Where a grant goes and for what: the token endpoint, normalised scopes and the time budget.

import { CLOUDS, LIMITS, type CloudName } from '../config/constants.js'
import type { Env } from '../config/env.js'
import { resolveAuthority, tokenEndpoint, validateTenant, type Authority } from '../oauth/authority.js'
import { normalizeScopes } from '../oauth/scopes.js'
import type { AccessToken } from '../oauth/tokenResponse.js'
import type { RequestBase } from '../protocol/request.js'

export interface GrantTarget {
  tenant: string
  endpoint: string
  scopes: string[]
  timeoutSec: number
  /** The cloud of the login host: its default Graph scope and its federated token audience. */
  cloud: CloudName
}

/**
 * What a call is for, independent of how it was spelled: tenant, client, login host and scopes as the core sends
 * them (the `target` of the success envelope and of resolveTarget's; fields in src/protocol/protocol.json).
 */
export interface CanonicalTarget {
  /** Origin of the login host, lower case, e.g. `https://login.microsoftonline.com`. */
  authorityHost: string
  /** `<authorityHost>/<tenantId>`, or the host alone when no tenant is known. */
  authority: string
  /** Lower case; from the token's `tid` when the request named none (managed and workload identity); else ''. */
  tenantId: string
  /** Lower case; from the token's `appid` when the request named none; else ''. */
  clientId: string
  /** Normalised scopes; the cloud's Graph `/.default` when none were given. */
  scopes: string[]
}

/**
 * The canonical target of a request, the same for every spelling of it (`https://graph.microsoft.com`,
 * `…/.default`, no scope; tenant and client in any case): the module keys its session cache on it. No network
 * call; bad scopes or hosts throw. With the token, what the request left out (tenant, client) comes from its claims.
 * @throws ConfigurationError (ERR_INVALID_REQUEST)
 */
export function canonicalTarget(request: TargetSources, env: Env, token?: AccessToken): CanonicalTarget {
  const { authority, scopes } = resolveScopes(request, env)
  const authorityHost = authority.host.toLowerCase()
  const tenantId = (request.tenantId || token?.claims?.tid || '').toLowerCase()
  const clientId = (request.clientId || token?.claims?.appid || '').toLowerCase()
  return { authorityHost, authority: tenantId === '' ? authorityHost : `${authorityHost}/${tenantId}`, tenantId, clientId, scopes }
}

type TargetSources = Pick<RequestBase, 'scopes' | 'environment' | 'authorityHost' | 'clientId'> & { tenantId?: string }

/** The login host and the scopes of a request: the one rule both functions here follow. */
function resolveScopes(request: Pick<RequestBase, 'scopes' | 'environment' | 'authorityHost'>, env: Env): { authority: Authority; scopes: string[] } {
  const authority = resolveAuthority({ authorityHost: request.authorityHost, environment: request.environment, envAuthorityHost: env.authorityHost })
  const scopes = normalizeScopes(request.scopes ?? [])
  return { authority, scopes: scopes.length > 0 ? scopes : [CLOUDS[authority.cloud].graphScope] }
}

/**
 * Resolves the endpoint and scopes of a request; all checks run before any network call.
 * @param userFlow the grant acts for a user, so `common`/`organizations`/`consumers` are allowed
 */
export function resolveTarget(request: RequestBase, env: Env, userFlow: boolean): GrantTarget {
  const tenant = validateTenant(request.tenantId, userFlow)
  const { authority, scopes } = resolveScopes(request, env)
  return {
    tenant,
    endpoint: tokenEndpoint(authority, tenant),
    scopes,
    timeoutSec: request.timeoutSec ?? LIMITS.defaultTimeoutSec,
    cloud: authority.cloud,
  }
}
