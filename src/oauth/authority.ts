// Which login host and tenant a request goes to: validation of both, and the token endpoint URL.

import { CLOUD_HOST_ALIASES, CLOUDS, USER_ONLY_TENANTS, type CloudName } from '../config/constants.js'
import { ConfigurationError } from '../errors.js'
import { checkUrl } from '../http/urlPolicy.js'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i

export function isGuid(value: string): boolean {
  return GUID.test(value)
}

function isDnsName(value: string): boolean {
  if (value.length > 253) return false
  const labels = value.split('.')
  return labels.length >= 2 && labels.every((label) => DNS_LABEL.test(label)) && !/^\d+$/.test(labels.at(-1) ?? '')
}

/**
 * Checks a tenant id (GUID or verified domain) before it becomes part of a URL path.
 * @param allowUserOnly accept `common`, `organizations`, `consumers` (user flows only)
 * @throws ConfigurationError (ERR_INVALID_REQUEST)
 */
export function validateTenant(tenantId: string, allowUserOnly: boolean): string {
  const tenant = tenantId.trim()
  if (tenant === '')
    throw new ConfigurationError(
      'TenantId is empty.',
      'Pass the Directory (tenant) ID GUID or a verified domain such as contoso.onmicrosoft.com.',
    )
  const lower = tenant.toLowerCase()
  if ((USER_ONLY_TENANTS as readonly string[]).includes(lower)) {
    if (allowUserOnly) return lower
    throw new ConfigurationError(
      `TenantId '${tenant}' names no tenant; app-only tokens need one.`,
      "Pass your Directory (tenant) ID GUID or a verified domain: 'common', 'organizations' and 'consumers' only work for sign-ins of users.",
    )
  }
  if (isGuid(tenant) || isDnsName(tenant)) return tenant
  throw new ConfigurationError(
    `TenantId '${tenant}' is neither a GUID nor a DNS name.`,
    'Copy the Directory (tenant) ID from the Overview page of Microsoft Entra ID in the portal, or use a verified domain such as contoso.onmicrosoft.com.',
  )
}

/** Checks a client id: Entra's token endpoint takes the Application (client) ID GUID. */
export function validateClientId(clientId: string | undefined, why: string): string {
  const id = clientId?.trim() ?? ''
  if (id === '')
    throw new ConfigurationError(
      `ClientId is required ${why}.`,
      'Pass -ClientId with the Application (client) ID of the app registration.',
    )
  if (!isGuid(id)) {
    throw new ConfigurationError(
      `ClientId '${id}' is not a GUID.`,
      "Pass the Application (client) ID from the app registration's Overview page (a GUID), not its name or Object ID URI.",
    )
  }
  return id
}

export interface Authority {
  /** Origin of the login host, e.g. `https://login.microsoftonline.com`. */
  host: string
  cloud: CloudName
}

/** Parses and checks an authority host: https (http only for loopback), no credentials, path, query or fragment. */
export function parseAuthorityHost(value: string, origin: string): string {
  let url: URL
  try {
    url = new URL(value.trim())
  } catch (cause) {
    throw new ConfigurationError(
      `The authority host '${value}' from ${origin} is not a URL.`,
      'Use a URL such as https://login.microsoftonline.com.',
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(
      `The authority host '${value}' from ${origin} is not an https URL.`,
      'Use a URL such as https://login.microsoftonline.com.',
    )
  }
  checkUrl(url, 'token', `The authority host '${url.origin}' from ${origin}`)
  if (
    url.username !== '' ||
    url.password !== '' ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new ConfigurationError(
      `The authority host '${value}' from ${origin} must be a bare host.`,
      'Give only scheme, host and optional port, e.g. https://login.microsoftonline.us; the tenant is passed with -TenantId.',
    )
  }
  return url.origin
}

export interface AuthoritySources {
  /** -AuthorityHost */
  authorityHost?: string | undefined
  /** -Environment, when the caller passed it */
  environment?: CloudName | undefined
  /** AZURE_AUTHORITY_HOST */
  envAuthorityHost?: string | undefined
}

/**
 * Picks the login host: -AuthorityHost, then -Environment, then AZURE_AUTHORITY_HOST, then the global cloud.
 * The cloud (for the default Graph scope) follows -Environment, else the host when it is a known one.
 */
export function resolveAuthority(sources: AuthoritySources): Authority {
  let host: string
  if (sources.authorityHost !== undefined) host = parseAuthorityHost(sources.authorityHost, '-AuthorityHost')
  else if (sources.environment !== undefined) host = CLOUDS[sources.environment].authorityHost
  else if (sources.envAuthorityHost !== undefined)
    host = parseAuthorityHost(sources.envAuthorityHost, 'AZURE_AUTHORITY_HOST')
  else host = CLOUDS.Global.authorityHost
  const cloud = sources.environment ?? CLOUD_HOST_ALIASES[new URL(host).hostname] ?? 'Global'
  return { host, cloud }
}

/** `https://<host>/<tenant>/oauth2/v2.0/token`, with the tenant encoded so it cannot change the path. */
export function tokenEndpoint(authority: Authority, tenant: string): string {
  return `${authority.host}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`
}
