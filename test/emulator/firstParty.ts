// Microsoft first-party clients: Entra lets them ask only for what each API preauthorized them for (AADSTS65002).
import type { Directory, DirectoryApp } from './directory.js';
import { aadsts } from './errors.js';
import { defaultSuffix, oidcScopes, resourceKey, splitScope } from './scopes.js';

/**
 * Throws AADSTS65002 when a first-party app asks for a delegated permission (or a resource) it is not preauthorized
 * for; nobody can consent to that. `.default` asks for what is preauthorized, so it needs only the resource listed.
 * Apps without `preauthorized` (every tenant's own registrations) are not checked here.
 */
export function requirePreauthorized(app: DirectoryApp, scopes: readonly string[], directory: Directory): void {
  const table = app.preauthorized;
  if (table === undefined) return;
  for (const scope of scopes) {
    if (oidcScopes.has(scope)) continue;
    const { resource, permission } = splitScope(scope);
    const allowed = Object.entries(table).find(([uri]) => resourceKey(uri) === resourceKey(resource))?.[1];
    const ok =
      allowed !== undefined &&
      (scope.endsWith(defaultSuffix) ||
        allowed.includes('*') ||
        allowed.some((name) => name.toLowerCase() === permission.toLowerCase()));
    if (!ok) throw aadsts.firstPartyNotPreauthorized(app.clientId, directory.findResource(resource)?.appId ?? resource);
  }
}
