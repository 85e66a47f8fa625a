// The login host from here: the certificate it shows (a TLS-inspecting proxy re-signs it), the proxy in use, and
// the tenant's discovery document, whose Date header also tells how far this machine's clock is off.

import type { HttpClient, HttpResponse, TlsProbe } from '../http/client.js'
import { describeProxy, type ProxyChoice } from '../http/proxy.js'
import { trustHint } from '../http/trust.js'
import type { Authority } from '../oauth/authority.js'
import { CHECK_NAMES, fail, pass, skip, warn, type Check } from './check.js'
import { isExpectedIssuer } from './expectedIssuers.js'

export function tlsCheck(host: string, probe: TlsProbe | Error, expectedIssuers: readonly string[]): Check {
  if (probe instanceof Error) {
    return fail(
      CHECK_NAMES.tls,
      `No TLS handshake with ${host}: ${probe.message}.`,
      'Check that this machine reaches the login host on port 443 (firewall, proxy, DNS); with a proxy, pass it with -Proxy or HTTPS_PROXY.',
    )
  }
  const issuer = `'${probe.issuer}'${probe.issuerOrganization === undefined ? '' : ` (${probe.issuerOrganization})`}`
  const expected = isExpectedIssuer(probe.issuer, probe.issuerOrganization, expectedIssuers)
  if (!probe.trusted) {
    const who = expected
      ? `issued by ${issuer}`
      : `issued by ${issuer}, not a CA Microsoft's login hosts use: a TLS-inspecting proxy re-signs the connection`
    return fail(
      CHECK_NAMES.tls,
      `The certificate of ${host} is ${who}, and this machine does not trust it (${probe.trustError ?? 'untrusted'}).`,
      trustHint(),
    )
  }
  if (!expected) {
    return warn(
      CHECK_NAMES.tls,
      `The certificate of ${host} is issued by ${issuer}, not a CA Microsoft's login hosts use: a TLS-inspecting proxy re-signs the connection (trusted here).`,
      'Nothing to do while it is trusted; if tokens fail only on this network, ask for the login hosts (login.microsoftonline.com) to be exempt from TLS inspection.',
    )
  }
  return pass(CHECK_NAMES.tls, `The certificate of ${host} is issued by ${issuer}, trusted.`)
}

export function proxyCheck(host: string, proxy: ProxyChoice | undefined, probe: TlsProbe | Error): Check {
  if (proxy !== undefined && probe instanceof Error) {
    return fail(
      CHECK_NAMES.proxy,
      `To ${host} through the proxy ${describeProxy(proxy.url)} (${proxy.source}), which did not connect it: ${probe.message}.`,
      'Check the proxy address and that it is up, give its credentials in its URL if it asks for them (http://user:password@host:port), or pass another one with -Proxy.',
    )
  }
  if (proxy === undefined)
    return pass(
      CHECK_NAMES.proxy,
      `Direct to ${host}: no proxy applies (-Proxy, ENTRAAUTH_PROXY, HTTPS_PROXY, the system proxy).`,
    )
  return pass(CHECK_NAMES.proxy, `To ${host} through the proxy ${describeProxy(proxy.url)} (${proxy.source}).`)
}

export function discoveryUrl(authority: Authority, tenant: string): string {
  return `${authority.host}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`
}

export function discoveryCheck(authority: Authority, tenant: string, response: HttpResponse | Error): Check {
  if (response instanceof Error) {
    return fail(
      CHECK_NAMES.discovery,
      `${authority.host} did not answer for the tenant's discovery document: ${response.message}.`,
      'Check the network path to the login host (the TLS and proxy checks above).',
    )
  }
  if (response.status === 200) {
    let issuer: unknown
    try {
      issuer = (JSON.parse(response.body) as { issuer?: unknown }).issuer
    } catch {
      issuer = undefined
    }
    if (typeof issuer === 'string')
      return pass(CHECK_NAMES.discovery, `The tenant ${tenant} exists in this cloud (issuer ${issuer}).`)
    return fail(
      CHECK_NAMES.discovery,
      `${authority.host} answered HTTP 200 without a discovery document.`,
      'A proxy or captive portal may be answering in place of Entra: check -AuthorityHost, AZURE_AUTHORITY_HOST and HTTPS_PROXY.',
    )
  }
  if (response.status === 400 || response.status === 404) {
    return fail(
      CHECK_NAMES.discovery,
      `The tenant '${tenant}' is not known at ${authority.host} (the ${authority.cloud} cloud; HTTP ${response.status}).`,
      'Check -TenantId (the Directory (tenant) ID from the portal, or a verified domain), and the cloud: -Environment USGov or China for tenants in a national cloud.',
    )
  }
  return fail(
    CHECK_NAMES.discovery,
    `${authority.host} answered HTTP ${response.status} for the tenant's discovery document.`,
    'Try again later; if it stays, check the network path to the login host.',
  )
}

/** Assertions (certificates, federation) are refused at 5 minutes of skew; warn at 1. */
export const CLOCK_LIMITS = { warnSec: 60, failSec: 300 } as const

export function clockCheck(host: string, response: HttpResponse | Error | undefined, now: number): Check {
  if (response === undefined || response instanceof Error)
    return skip(CHECK_NAMES.clock, `No answer from ${host} to compare the clock with.`)
  const date = Date.parse(response.headers['date'] ?? '')
  if (Number.isNaN(date)) return skip(CHECK_NAMES.clock, `${host} sent no Date header to compare the clock with.`)
  // The Date header has whole seconds: up to a second of skew is its rounding.
  const skewSec = Math.round((now - date) / 1000)
  const said = `This machine's clock is ${Math.abs(skewSec)} s ${skewSec >= 0 ? 'ahead of' : 'behind'} ${host}.`
  const fix =
    'Set the clock right: turn on time synchronisation (Windows: w32tm /resync; Linux: timedatectl set-ntp true). Entra refuses client assertions (certificates, federated tokens) 5 minutes off (AADSTS700024).'
  if (Math.abs(skewSec) > CLOCK_LIMITS.failSec) return fail(CHECK_NAMES.clock, said, fix)
  if (Math.abs(skewSec) > CLOCK_LIMITS.warnSec) return warn(CHECK_NAMES.clock, said, fix)
  return pass(CHECK_NAMES.clock, said)
}

/** One GET of the discovery document, bounded; an error is returned, not thrown. */
export async function fetchDiscovery(http: HttpClient, url: string, timeoutMs: number): Promise<HttpResponse | Error> {
  try {
    return await http.send({ method: 'GET', url, signal: AbortSignal.timeout(timeoutMs) })
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error))
  }
}
