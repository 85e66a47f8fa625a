// Secret expiry: Entra's refusal of an expired secret, or, when the token may read the app's own registration from
// Microsoft Graph, the end date of the secret in use, found by Graph's hint (its first characters). The hint and the
// secret are only compared, never shown.

import { CLOUDS, type CloudName } from '../config/constants.js'
import { EntraAuthError } from '../errors.js'
import type { HttpResponse } from '../http/client.js'
import { sanitizeServerText } from '../log/sanitizeText.js'
import type { AccessToken } from '../oauth/tokenResponse.js'
import { CHECK_NAMES, fail, pass, skip, warn, type Check } from './check.js'
import { tokenFacts } from './tokenChecks.js'

/** Application permissions of Microsoft Graph that let an app read its own registration, and so its secrets' end dates. */
export const REGISTRATION_READ_ROLES = [
  'Application.Read.All',
  'Application.ReadWrite.All',
  'Application.ReadWrite.OwnedBy',
  'Directory.Read.All',
] as const

/** Microsoft Graph's app id: the audience of its tokens when asked for by GUID. */
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000'

/** Graph shows this many leading characters of a secret as its passwordCredential's hint. */
const HINT_LENGTH = 3

/** A Warn this many days before the end date, as the certificate expiry check does. */
const WARN_DAYS = 30

const DAY_MS = 86_400_000

const PORTAL = 'see the end dates under Certificates & secrets of the app registration in the portal'

/** The Microsoft Graph base this call's cloud reads registrations from: ENTRAAUTH_GRAPH_ENDPOINT, else the cloud's. */
export function graphBase(cloud: CloudName, override: string | undefined): string {
  return (override ?? CLOUDS[cloud].graphEndpoint).replace(/\/+$/, '')
}

function isGraphAudience(aud: string | undefined, cloud: CloudName): boolean {
  if (aud === undefined) return false
  if (aud.toLowerCase() === GRAPH_APP_ID) return true
  const origin = aud.replace(/\/+$/, '').toLowerCase()
  return origin === CLOUDS.Global.graphEndpoint || origin === CLOUDS[cloud].graphEndpoint
}

export interface SecretExpiryContext {
  /** The client secret of the call, undefined when it uses none. Only its first characters are compared. */
  secret: string | undefined
  cloud: CloudName
  clientId: string | undefined
  /** {@link graphBase} of the call. */
  graph: string
}

/** What to do for the check: its outcome already, or the GET of the registration to make with the token. */
export type SecretExpiryPlan = { check: Check } | { url: string; authorization: string; secret: string }

export function planSecretExpiry(result: AccessToken | Error, context: SecretExpiryContext): SecretExpiryPlan {
  const done = (check: Check) => ({ check })
  if (context.secret === undefined) return done(skip(CHECK_NAMES.secretExpiry, 'This call uses no client secret.'))
  if (result instanceof Error) {
    const expired = result instanceof EntraAuthError && (result.oauth?.errorCodes ?? []).includes(7000222)
    if (expired)
      return done(
        fail(
          CHECK_NAMES.secretExpiry,
          'Entra says the client secret has expired (AADSTS7000222).',
          'Make a new secret under Certificates & secrets of the app registration, and pass its Value.',
        ),
      )
    return done(skip(CHECK_NAMES.secretExpiry, 'No token: the token request failed.'))
  }
  const facts = tokenFacts(result.accessToken)
  if (facts === undefined)
    return done(
      skip(
        CHECK_NAMES.secretExpiry,
        `The token is not a JWT, so it cannot tell whether the app may read its registration; ${PORTAL}.`,
      ),
    )
  if (!isGraphAudience(facts.aud, context.cloud)) {
    return done(
      skip(
        CHECK_NAMES.secretExpiry,
        `The token is for ${facts.aud ?? '(no audience)'}, not Microsoft Graph, so it cannot read the app's registration; ${PORTAL}, or run with -Scope ${CLOUDS[context.cloud].graphScope}.`,
      ),
    )
  }
  if (!facts.roles.some((role) => (REGISTRATION_READ_ROLES as readonly string[]).includes(role))) {
    return done(
      skip(
        CHECK_NAMES.secretExpiry,
        `The token holds none of ${REGISTRATION_READ_ROLES.join(', ')}, so the app cannot read its own registration; ${PORTAL}, or add the application permission Application.Read.All of Microsoft Graph and grant admin consent for this check to read them.`,
      ),
    )
  }
  if (context.clientId === undefined)
    return done(skip(CHECK_NAMES.secretExpiry, `No client id to read the registration of; ${PORTAL}.`))
  return {
    url: `${context.graph}/v1.0/applications(appId='${encodeURIComponent(context.clientId)}')?$select=passwordCredentials`,
    authorization: `${result.tokenType} ${result.accessToken}`,
    secret: context.secret,
  }
}

interface PasswordCredential {
  keyId: string
  displayName: string
  hint: string
  endDateTime: number
}

/** The passwordCredentials of Graph's answer that carry a hint and a readable end date; undefined when it has none. */
function passwordCredentials(body: string): PasswordCredential[] | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  const list = (parsed as { passwordCredentials?: unknown } | null)?.passwordCredentials
  if (!Array.isArray(list)) return undefined
  return list.flatMap((entry: unknown): PasswordCredential[] => {
    const item = entry as Record<string, unknown> | null
    if (
      item === null ||
      typeof item !== 'object' ||
      typeof item['hint'] !== 'string' ||
      typeof item['endDateTime'] !== 'string'
    )
      return []
    const endDateTime = Date.parse(item['endDateTime'])
    if (Number.isNaN(endDateTime)) return []
    const text = (value: unknown) => (typeof value === 'string' ? sanitizeServerText(value, { maxLength: 100 }) : '')
    return [{ keyId: text(item['keyId']), displayName: text(item['displayName']), hint: item['hint'], endDateTime }]
  })
}

function graphErrorCode(body: string): string {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } } | null)?.error?.code
    return typeof code === 'string' ? ` (${sanitizeServerText(code, { maxLength: 100 })})` : ''
  } catch {
    return ''
  }
}

/** The check from Graph's answer to the GET of {@link planSecretExpiry}. */
export function secretExpiryFromGraph(response: HttpResponse | Error, secret: string, now: number): Check {
  if (response instanceof Error)
    return skip(
      CHECK_NAMES.secretExpiry,
      `Reading the app's registration from Microsoft Graph failed: ${sanitizeServerText(response.message, { maxLength: 300 })}; ${PORTAL}.`,
    )
  if (response.status === 403) {
    return skip(
      CHECK_NAMES.secretExpiry,
      `Microsoft Graph refused to read the app's registration (HTTP 403${graphErrorCode(response.body)}): the token's permission does not reach it (Application.ReadWrite.OwnedBy reads only the apps the app owns); ${PORTAL}, or grant Application.Read.All.`,
    )
  }
  if (response.status === 404) {
    return skip(
      CHECK_NAMES.secretExpiry,
      `Microsoft Graph has no registration of this app in the token's tenant (HTTP 404${graphErrorCode(response.body)}): the app is registered in another tenant (a multi-tenant app), whose Graph holds its secrets; ${PORTAL}.`,
    )
  }
  if (response.status < 200 || response.status >= 300)
    return skip(
      CHECK_NAMES.secretExpiry,
      `Microsoft Graph answered HTTP ${response.status}${graphErrorCode(response.body)} to reading the app's registration; ${PORTAL}.`,
    )
  const credentials = passwordCredentials(response.body)
  if (credentials === undefined)
    return skip(CHECK_NAMES.secretExpiry, `Microsoft Graph's answer holds no passwordCredentials; ${PORTAL}.`)
  const matching = credentials
    .filter((credential) => credential.hint === secret.slice(0, HINT_LENGTH))
    .sort((a, b) => a.endDateTime - b.endDateTime)
  const first = matching[0]
  if (first === undefined) {
    return warn(
      CHECK_NAMES.secretExpiry,
      `None of the ${credentials.length} secrets of the app's registration begins like the secret in use, so its end date is unknown: the secret may belong to another app, or was passed with characters added or cut.`,
      'Check that -ClientSecret is the Value of a secret under Certificates & secrets of this app registration.',
    )
  }
  const name = `The secret ${first.displayName === '' ? '' : `'${first.displayName}' `}(key id ${first.keyId})${matching.length > 1 ? ` or one of ${matching.length - 1} more that begin alike` : ''}`
  const ends = new Date(first.endDateTime).toISOString().slice(0, 10)
  const days = Math.floor((first.endDateTime - now) / DAY_MS)
  const renew =
    'Make a new secret under Certificates & secrets of the app registration, pass its Value, then delete the old one.'
  if (first.endDateTime <= now) return fail(CHECK_NAMES.secretExpiry, `${name} ended on ${ends}.`, renew)
  if (first.endDateTime - now <= WARN_DAYS * DAY_MS)
    return warn(CHECK_NAMES.secretExpiry, `${name} ends on ${ends}, in ${days} days.`, renew)
  return pass(CHECK_NAMES.secretExpiry, `${name} ends on ${ends}, in ${days} days.`)
}
