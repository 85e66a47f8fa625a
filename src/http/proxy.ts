// Which proxy a request goes through: -Proxy, ENTRAAUTH_PROXY, HTTPS_PROXY/HTTP_PROXY with NO_PROXY, the system proxy.

import { ENV_VARS } from '../config/constants.js'
import type { Env } from '../config/env.js'
import { ConfigurationError, EntraAuthError } from '../errors.js'
import { mayUseProxy, type UrlPurpose } from './urlPolicy.js'

/** One proxy and where it was configured, for messages. */
export interface ProxyChoice {
  url: URL
  /** `-Proxy`, `ENTRAAUTH_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY` or `the system proxy`. */
  source: string
}

/** Every proxy setting of one request, strongest first; values are checked URLs. */
export interface ProxySettings {
  /** -Proxy (request field `proxy`). */
  parameter?: ProxyChoice | undefined
  /** ENTRAAUTH_PROXY. */
  variable?: ProxyChoice | undefined
  httpsProxy?: ProxyChoice | undefined
  httpProxy?: ProxyChoice | undefined
  noProxy: readonly string[]
  /** What the module found in the system settings for the login host (request field `systemProxy`). */
  system?: ProxyChoice | undefined
}

/** The proxy URL without user name and password, for messages and logs. */
export function describeProxy(url: URL): string {
  return `${url.protocol}//${url.host}`
}

/**
 * Parses a proxy URL: http or https, a host, no path, query or fragment; credentials allowed (Basic).
 * @throws ConfigurationError naming where the value came from, without its credentials
 */
export function parseProxy(value: string | undefined, source: string): ProxyChoice | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const text = value.trim()
  let url: URL
  try {
    // As curl and undici take it: `proxy.corp:8080` without a scheme is an http proxy.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`)
  } catch (cause) {
    throw new ConfigurationError(`The proxy from ${source} is not a URL.`, 'Give the proxy as http://host:port, with credentials if it needs them: http://user:password@host:port.', cause)
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || (url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new ConfigurationError(`The proxy ${describeProxy(url)} from ${source} must be an http:// or https:// URL of a host and port, nothing after it.`, 'Give the proxy as http://host:port (or http://user:password@host:port).')
  }
  return { url, source }
}

/** The proxies of one request: its `proxy` (-Proxy) and `systemProxy` fields, then the environment's. */
export function proxySettings(request: { proxy?: string | undefined; systemProxy?: string | undefined }, env: Pick<Env, 'entraAuthProxy' | 'httpsProxy' | 'httpProxy' | 'noProxy'>): ProxySettings {
  return {
    parameter: parseProxy(request.proxy, '-Proxy'),
    variable: parseProxy(env.entraAuthProxy, ENV_VARS.entraAuthProxy),
    httpsProxy: parseProxy(env.httpsProxy, ENV_VARS.httpsProxy[0]),
    httpProxy: parseProxy(env.httpProxy, ENV_VARS.httpProxy[0]),
    noProxy: parseNoProxy(env.noProxy),
    system: parseProxy(request.systemProxy, 'the system proxy'),
  }
}

/** User names and passwords in the proxy URLs, as given and decoded: secrets for the redactor. */
export function proxySecrets(settings: ProxySettings): string[] {
  const secrets: string[] = []
  for (const choice of [settings.parameter, settings.variable, settings.httpsProxy, settings.httpProxy, settings.system]) {
    if (choice === undefined) continue
    for (const part of [choice.url.password, choice.url.username]) {
      if (part === '') continue
      secrets.push(part)
      try {
        secrets.push(decodeURIComponent(part))
      } catch {
        // kept as given
      }
    }
  }
  return secrets
}

/** NO_PROXY entries: `*`, host names (a leading `.` or `*.` matches subdomains), optional `:port`. */
export function parseNoProxy(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,\s]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
}

function bypassed(url: URL, noProxy: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '')
  const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port
  for (const entry of noProxy) {
    if (entry === '*') return true
    const match = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\]$/g, '')) ?? []
    const name = (match[1] ?? '').replace(/^\*?\./, '.')
    if (match[2] !== undefined && match[2] !== port) continue
    if (name.startsWith('.') ? host.endsWith(name) || host === name.slice(1) : host === name) return true
  }
  return false
}

/**
 * The proxy for one request, or undefined for a direct connection. Loopback hosts and managed identity
 * endpoints never use one (http/urlPolicy.ts); NO_PROXY applies to HTTPS_PROXY and HTTP_PROXY.
 */
export function chooseProxy(url: URL, purpose: UrlPurpose, settings: ProxySettings): ProxyChoice | undefined {
  if (!mayUseProxy(url, purpose)) return undefined
  if (settings.parameter !== undefined) return settings.parameter
  if (settings.variable !== undefined) return settings.variable
  const fromEnv = url.protocol === 'https:' ? (settings.httpsProxy ?? settings.httpProxy) : settings.httpProxy
  if (fromEnv !== undefined) return bypassed(url, settings.noProxy) ? undefined : fromEnv
  return settings.system
}

/** How to go without a proxy from this source: NO_PROXY covers only the proxy variables. */
function goDirect(proxySource: string): string {
  if (proxySource === ENV_VARS.httpsProxy[0] || proxySource === ENV_VARS.httpProxy[0]) return 'or go direct where the network allows it (add the host to NO_PROXY)'
  if (proxySource === 'the system proxy') return "or go direct where the network allows it (the host on the bypass list of Windows' proxy settings)"
  return `or go direct where the network allows it (without ${proxySource})`
}

interface ProxyRefusal {
  code: 'ERR_PROXY_AUTH_REQUIRED' | 'ERR_PROXY_REFUSED' | 'ERR_PROXY_TIMEOUT'
  status: number
  proxy: string
  proxySource: string
  waitedSec: number
}

function findRefusal(error: unknown): ProxyRefusal | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code
    if (code === 'ERR_PROXY_AUTH_REQUIRED' || code === 'ERR_PROXY_REFUSED' || code === 'ERR_PROXY_TIMEOUT') return current as unknown as ProxyRefusal
    current = current.cause
  }
  return undefined
}

/** ERR_NETWORK naming the proxy (never its credentials) and the fix, for a proxy that did not open the tunnel; else undefined. */
export function proxyFailure(error: unknown, host: string): EntraAuthError | undefined {
  const refusal = findRefusal(error)
  if (refusal === undefined) return undefined
  if (refusal.code === 'ERR_PROXY_AUTH_REQUIRED') {
    return new EntraAuthError('ERR_NETWORK', `The proxy ${refusal.proxy} (${refusal.proxySource}) asks for authentication (HTTP 407 Proxy Authentication Required) before it connects to ${host}.`, {
      cause: error,
      status: 407,
      hint: `Give the proxy's credentials in its URL, http://user:password@host:port (URL-encode special characters), in -Proxy or ENTRAAUTH_PROXY; or have ${host} put on the proxy's allow-list. EntraAuth sends Basic credentials only (no Windows sign-in to the proxy).`,
    })
  }
  if (refusal.code === 'ERR_PROXY_TIMEOUT') {
    return new EntraAuthError('ERR_TIMEOUT', `The proxy ${refusal.proxy} (${refusal.proxySource}) did not answer within ${refusal.waitedSec} s when asked to connect to ${host}.`, {
      cause: error,
      hint: `Check the proxy address and that it is up; pass another one with -Proxy, ${goDirect(refusal.proxySource)}.`,
    })
  }
  return new EntraAuthError('ERR_NETWORK', `The proxy ${refusal.proxy} (${refusal.proxySource}) refused to connect to ${host} (HTTP ${refusal.status}).`, {
    cause: error,
    status: refusal.status,
    hint: `Have ${host} allowed on the proxy, pass another one with -Proxy, ${goDirect(refusal.proxySource)}.`,
  })
}
