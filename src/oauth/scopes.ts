// Turns what users type as -Scope into v2 scopes: a bare resource gets `/.default` (docs/entra-protocol.md §9 "Resource (v1) vs scope (v2)").

import { ConfigurationError } from '../errors.js'
import table from '../protocol/protocol.json' with { type: 'json' }
import { isGuid } from './authority.js'

const DEFAULT_SUFFIX = '/.default'

/** The scope that asks for a refresh token; the module adds it when it renews a delegated sign-in (the table's offlineAccessScope). */
export const OFFLINE_ACCESS = table.defaults.offlineAccessScope

/** A resource identifier without a permission: `https://host[/]`, `api://x`, or an app id GUID. */
function isBareResource(scope: string): boolean {
  if (isGuid(scope)) return true
  let url: URL
  try {
    url = new URL(scope)
  } catch {
    return false
  }
  if (url.protocol === 'api:') return !url.pathname.includes('/') || url.pathname === ''
  return (url.protocol === 'https:' || url.protocol === 'http:') && (url.pathname === '/' || url.pathname === '') && url.search === '' && url.hash === ''
}

/**
 * Normalises scopes: trims, drops empties, appends `/.default` to a bare resource (keeping its exact
 * spelling, so `https://management.core.windows.net/` becomes `…windows.net//.default` as Entra expects).
 */
export function normalizeScopes(scopes: readonly string[]): string[] {
  const result: string[] = []
  for (const raw of scopes) {
    const scope = raw.trim()
    if (scope === '') continue
    if (/\s/.test(scope)) throw new ConfigurationError(`Scope '${scope}' contains white space.`, 'Pass several scopes as an array: -Scope a, b.')
    const normalized = isBareResource(scope) ? `${scope}${DEFAULT_SUFFIX}` : scope
    if (!result.includes(normalized)) result.push(normalized)
  }
  return result
}

/**
 * App-only tokens take exactly one `<resource>/.default` scope (AADSTS1002012, AADSTS700022): checked here
 * so the mistake is reported before any request.
 */
export function requireAppOnlyScope(scopes: readonly string[]): string {
  const scope = scopes[0]
  if (scopes.length !== 1 || scope === undefined) {
    throw new ConfigurationError(
      `An app-only token is for exactly one resource, but ${scopes.length} scopes were given (${scopes.join(', ')}).`,
      'Pass one resource, e.g. -Scope https://graph.microsoft.com/.default, and ask again for each other resource.',
    )
  }
  if (!scope.endsWith(DEFAULT_SUFFIX)) {
    throw new ConfigurationError(
      `Scope '${scope}' is a delegated permission; app-only tokens take '<resource>/.default'.`,
      'Use the resource with /.default, e.g. https://graph.microsoft.com/.default; the app roles granted to the app (admin consent) decide what the token may do.',
    )
  }
  return scope
}
