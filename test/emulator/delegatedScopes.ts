// Delegated (user) scopes → the resource a token is for and its `scp` claim (doc §2.4, §9).
import type { Directory, DirectoryResource } from './directory.js';
import { aadsts } from './errors.js';
import { graphResource, oidcScopes, resourceKey, splitScope, type ScopeParts } from './scopes.js';

export interface DelegatedAccess {
  readonly resource: DirectoryResource;
  /** Space-separated permission names for the `scp` claim. */
  readonly scp: string;
}

const defaultPermission = '.default';
/** `scp` when nothing more specific is known (no consented permission for the resource). */
const fallbackPermission = 'user_impersonation';

function resourceScopes(scopes: readonly string[]): ScopeParts[] {
  return scopes.filter((scope) => !oidcScopes.has(scope)).map(splitScope);
}

/**
 * The token is for the first resource named (doc §2.4). `.default` expands to the permissions the refresh
 * token was minted with for that resource; only OIDC scopes means Microsoft Graph.
 */
export function resolveDelegatedScopes(
  requested: readonly string[],
  consented: readonly string[],
  directory: Directory,
  tenantName: string,
): DelegatedAccess {
  const [first = { resource: graphResource, permission: defaultPermission }, ...rest] = resourceScopes(requested);
  const resource = directory.findResource(first.resource);
  if (!resource) throw aadsts.resourceNotFound(first.resource, tenantName);
  const forResource = (parts: ScopeParts): boolean => resourceKey(parts.resource) === resourceKey(resource.uri);
  const consentedHere = resourceScopes(consented)
    .filter(forResource)
    .map((parts) => parts.permission)
    .filter((permission) => permission !== defaultPermission);
  const permissions = [first, ...rest]
    .filter(forResource)
    .flatMap((parts) => (parts.permission === defaultPermission ? consentedHere : [parts.permission]));
  const unique = [...new Set(permissions)];
  return { resource, scp: (unique.length > 0 ? unique : [fallbackPermission]).join(' ') };
}
