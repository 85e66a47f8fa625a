// Where a grant goes and for what: the token endpoint, normalised scopes and the time budget.

import { CLOUDS, LIMITS, type CloudName } from '../config/constants.js'
import type { Env } from '../config/env.js'
import { resolveAuthority, tokenEndpoint, validateTenant } from '../oauth/authority.js'
import { normalizeScopes } from '../oauth/scopes.js'
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
 * Resolves the endpoint and scopes of a request; all checks run before any network call.
 * @param userFlow the grant acts for a user, so `common`/`organizations`/`consumers` are allowed
 */
export function resolveTarget(request: RequestBase, env: Env, userFlow: boolean): GrantTarget {
  const tenant = validateTenant(request.tenantId, userFlow)
  const authority = resolveAuthority({ authorityHost: request.authorityHost, environment: request.environment, envAuthorityHost: env.authorityHost })
  const scopes = normalizeScopes(request.scopes ?? [])
  return {
    tenant,
    endpoint: tokenEndpoint(authority, tenant),
    scopes: scopes.length > 0 ? scopes : [CLOUDS[authority.cloud].graphScope],
    timeoutSec: request.timeoutSec ?? LIMITS.defaultTimeoutSec,
    cloud: authority.cloud,
  }
}
