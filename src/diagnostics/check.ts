// One line of the diagnostics' checklist: what was checked, how it went, what was seen, and what to do.

export type CheckStatus = 'Pass' | 'Warn' | 'Fail' | 'Skip'

export interface Check {
  name: string
  status: CheckStatus
  /** What was seen; for a Skip, why the check does not apply. Never a secret or a token. */
  detail: string
  /** What to do, for Warn and Fail. */
  fix?: string
}

/** The names of the checks the core makes, in the order they are shown. */
export const CHECK_NAMES = {
  tenant: 'Tenant',
  clientId: 'Client id',
  secret: 'Client secret',
  scope: 'Scope',
  tls: 'TLS',
  proxy: 'Proxy',
  discovery: 'Tenant discovery',
  clock: 'Clock',
  managedIdentity: 'Managed identity',
  federation: 'Federated token',
  token: 'Token request',
  claims: 'Token claims',
  secretExpiry: 'Secret expiry',
  resource: 'Resource',
} as const

export function pass(name: string, detail: string): Check {
  return { name, status: 'Pass', detail }
}

export function warn(name: string, detail: string, fix: string): Check {
  return { name, status: 'Warn', detail, fix }
}

export function fail(name: string, detail: string, fix: string): Check {
  return { name, status: 'Fail', detail, fix }
}

export function skip(name: string, reason: string): Check {
  return { name, status: 'Skip', detail: reason }
}

/** The message and fix of a thrown EntraAuthError (or any error) as a failed check. */
export function failFrom(name: string, error: unknown, fallbackFix: string): Check {
  const message = error instanceof Error ? error.message : String(error)
  const hint = (error as { hint?: unknown } | undefined)?.hint
  return fail(name, message, typeof hint === 'string' && hint !== '' ? hint : fallbackFix)
}
