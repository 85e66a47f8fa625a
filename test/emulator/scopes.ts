// Scope strings (v2) and resource identifiers (v1): parsing, splitting and the matching rule of docs/entra-protocol.md §9 "Resource (v1) vs scope (v2)".

/** OpenID Connect scopes MSAL adds to user flows; they name no resource. */
export const oidcScopes: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'offline_access']);

/** Resource implied by a bare scope such as `User.Read` (doc: scopes-oidc). */
export const graphResource = 'https://graph.microsoft.com';

export const defaultSuffix = '/.default';

/** Splits the space-separated `scope` parameter. */
export function parseScopeParameter(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter((scope) => scope.length > 0);
}

export interface ScopeParts {
  readonly resource: string;
  readonly permission: string;
}

/**
 * Everything before the last `/` is the resource (doc §9): `https://management.core.windows.net//.default`
 * → `https://management.core.windows.net/` + `.default`. A bare permission belongs to Microsoft Graph.
 */
export function splitScope(scope: string): ScopeParts {
  const slash = scope.lastIndexOf('/');
  return slash < 0
    ? { resource: graphResource, permission: scope }
    : { resource: scope.slice(0, slash), permission: scope.slice(slash + 1) };
}

/** Key for matching resources: scheme and host case-insensitive, one trailing slash ignored. */
export function resourceKey(resource: string): string {
  const parts = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)(.*)$/i.exec(resource);
  const normalized = parts ? `${(parts[1] ?? '').toLowerCase()}${parts[2] ?? ''}` : resource;
  return normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}
