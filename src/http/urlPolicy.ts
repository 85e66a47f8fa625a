// The one rule for the URLs the core contacts: which may be plain http, and which may go through a proxy.

import { ConfigurationError } from '../errors.js'

/**
 * What a URL is for:
 * - `token`: a service reached over the network that receives a credential (the login host, the GitHub
 *   Actions OIDC endpoint): https only; plain http only on loopback (a test server on this machine).
 * - `managedIdentity`: a managed identity endpoint of the Azure host (IMDS on 169.254.169.254, App Service,
 *   Arc, Cloud Shell on localhost): plain http by design, as the Azure SDKs allow (docs/entra-protocol.md §0.1 "Authority must be HTTPS"); never proxied.
 */
export type UrlPurpose = 'token' | 'managedIdentity'

/** `localhost` (and names under it, RFC 6761), 127.0.0.0/8, ::1 and IPv4-mapped 127.x: this machine only. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (host === '::1') return true
  if (/^127(?:\.\d{1,3}){3}$/.test(host)) return true
  return /^::ffff:(?:127(?:\.\d{1,3}){3}|7f[0-9a-f]{2}:[0-9a-f]{1,4})$/.test(host)
}

/**
 * Refuses a URL the core must not contact for this purpose, before any byte is sent.
 * @param origin where the URL came from, for the message (e.g. `ACTIONS_ID_TOKEN_REQUEST_URL`)
 * @throws ConfigurationError (ERR_INVALID_REQUEST)
 */
export function checkUrl(url: URL, purpose: UrlPurpose, origin: string): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`${origin} is '${url.protocol}//${url.host}', which is not an http or https URL.`, 'Use an https:// URL.')
  }
  if (purpose === 'token' && url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigurationError(
      `${origin} uses plain http to ${url.host}: a credential would travel in clear.`,
      'Use https://… (plain http is accepted only for loopback test servers on this machine).',
    )
  }
}

/** Whether a request may go through a proxy: never to loopback, never to a managed identity endpoint. */
export function mayUseProxy(url: URL, purpose: UrlPurpose): boolean {
  return purpose === 'token' && !isLoopbackHost(url.hostname)
}
