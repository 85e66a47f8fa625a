// The only importer of undici: keep-alive connections, verified TLS (http/trust.ts), proxies by the URL rule (http/urlPolicy.ts).

import type { Socket } from 'node:net'
import { connect as tlsConnect, type TLSSocket } from 'node:tls'
// undici part by part, not its index: the index also loads fetch, WebSocket, cookies, caches and mocks (and with them
// much of Node's web layer), about half the core's start (docs/benchmarks.md, "The core's start").
import Agent from 'undici/lib/dispatcher/agent.js'
import Pool from 'undici/lib/dispatcher/pool.js'
import buildConnector from 'undici/lib/core/connect.js'
import requestOn from 'undici/lib/api/api-request.js'
import connectOn from 'undici/lib/api/api-connect.js'
import type { Dispatcher } from 'undici'

export type { Dispatcher }
import { LIMITS } from '../config/constants.js'
import type { Env } from '../config/env.js'
import { describeProxy, type ProxyChoice } from './proxy.js'
import { bundledTlsOptions, needsSystemStore, verifiedTlsOptions } from './trust.js'
import { checkUrl, type UrlPurpose } from './urlPolicy.js'
import { createWarmConnections } from './warmConnections.js'

export interface HttpResponse {
  status: number
  headers: Record<string, string>
  body: string
}

export interface HttpRequestOptions {
  headers?: Record<string, string>
  signal?: AbortSignal
}

export interface HttpRequest extends HttpRequestOptions {
  method: 'GET' | 'POST'
  url: string
  body?: string
}

/** What the flows need from the network; tests pass an implementation over a MockAgent. */
export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>
  postForm(url: string, form: URLSearchParams, options?: HttpRequestOptions): Promise<HttpResponse>
}

// No TCP keep-alive probes: setting them before connect fails under wine (Windows' TCP_KEEPINTVL/TCP_KEEPCNT),
// where the Windows executable's smoke test runs. HTTP keep-alive it is: the resident core reuses an idle
// connection to the login host for up to a minute (or less, when the server's Keep-Alive says so).
const SOCKET = { keepAlive: false } as const
const KEEP_ALIVE_MS = 60_000
/** Proxies one core keeps connections to (-Proxy may name another per call); the oldest is closed beyond this. */
const MAX_PROXIES = 4
/** Longest wait for a proxy's answer to CONNECT, as undici's connect timeout: a request cannot be aborted while it connects. */
const PROXY_ANSWER_MS = 10_000

type Attempt = (connector: buildConnector.connector, callback: buildConnector.Callback) => void

/**
 * Verified TLS (http/trust.ts): first with Node's roots and NODE_EXTRA_CA_CERTS (no store to read); when they do not
 * know the server's issuer (a TLS-inspecting proxy), once more with the system store added, and from then on for
 * every connection of this core. Both ways verify: the trust is the same, the store is only read when it is needed.
 */
function createTlsTrust(env: Env): (attempt: Attempt, callback: buildConnector.Callback) => void {
  const bundled = buildConnector({ ...SOCKET, ...bundledTlsOptions })
  let withStore: buildConnector.connector | undefined
  return (attempt, callback) => {
    if (withStore !== undefined) return attempt(withStore, callback)
    attempt(bundled, (...result) => {
      if (result[0] === null || !needsSystemStore(result[0])) return callback(...result)
      withStore ??= buildConnector({ ...SOCKET, ...verifiedTlsOptions(env) })
      attempt(withStore, callback)
    })
  }
}

/** Connects plain TCP for http: and verified TLS for https:. */
function directConnector(trust: ReturnType<typeof createTlsTrust>): buildConnector.connector {
  const plain = buildConnector({ ...SOCKET })
  return (options, callback) => {
    if (options.protocol !== 'https:') return plain(options, callback)
    trust((connector, done) => connector(options, done), callback)
  }
}

/** A proxy that did not open the tunnel: a 407 (credentials), another refusal, or no answer (status 0); never retried. */
function proxyRefusal(status: number, proxy: ProxyChoice, target: string): Error {
  const code = status === 407 ? 'ERR_PROXY_AUTH_REQUIRED' : status === 0 ? 'ERR_PROXY_TIMEOUT' : 'ERR_PROXY_REFUSED'
  const said =
    status === 0
      ? `did not answer CONNECT ${target} within ${PROXY_ANSWER_MS / 1000} s`
      : `answered HTTP ${status} to CONNECT ${target}`
  return Object.assign(new Error(`The proxy ${describeProxy(proxy.url)} (${proxy.source}) ${said}.`), {
    code,
    status,
    proxy: describeProxy(proxy.url),
    proxySource: proxy.source,
    waitedSec: PROXY_ANSWER_MS / 1000,
  })
}

/** Tunnels each connection through an HTTP CONNECT proxy (credentials from its URL as Basic), then verified TLS inside it. */
function tunnelConnector(
  proxy: ProxyChoice,
  connectProxy: buildConnector.connector,
  trust: ReturnType<typeof createTlsTrust>,
): { connector: buildConnector.connector; proxyPool: Pool } {
  const proxyPool = new Pool(proxy.url.origin, {
    connect: connectProxy,
    keepAliveTimeout: KEEP_ALIVE_MS,
    headersTimeout: PROXY_ANSWER_MS,
  })
  const { username, password } = proxy.url
  const authorization =
    username === '' && password === ''
      ? undefined
      : `Basic ${Buffer.from(`${decodeURIComponent(username)}:${decodeURIComponent(password)}`).toString('base64')}`
  const openTunnel = (
    options: buildConnector.Options,
    callback: (error: Error | null, socket: Socket | null) => void,
  ): void => {
    const target = `${options.hostname}:${options.port === '' ? (options.protocol === 'https:' ? '443' : '80') : options.port}`
    let settled = false
    const settle = (error: Error | null, socket: Socket | null): void => {
      if (settled) return void socket?.on('error', () => {}).destroy()
      settled = true
      clearTimeout(timer)
      callback(error, socket)
    }
    // A proxy that takes the connection but never answers the CONNECT.
    const timer = setTimeout(() => settle(proxyRefusal(0, proxy, target), null), PROXY_ANSWER_MS)
    connectOn
      .call(proxyPool, {
        path: target,
        headers: { host: target, ...(authorization === undefined ? {} : { 'proxy-authorization': authorization }) },
      })
      .then(
        ({ statusCode, socket }) => {
          if (statusCode === 200) return settle(null, socket as Socket)
          socket.on('error', () => {}).destroy()
          return settle(proxyRefusal(statusCode, proxy, target), null)
        },
        (error: Error) => settle(error, null),
      )
  }
  const connector: buildConnector.connector = (options, callback) => {
    if (options.protocol !== 'https:')
      return openTunnel(options, (error, socket) =>
        error === null ? callback(null, socket as Socket) : callback(error, null),
      )
    // A TLS failure consumes the tunnel: a try with the system store opens a new one.
    trust(
      (tls, done) =>
        openTunnel(options, (error, socket) =>
          error === null ? tls({ ...options, httpSocket: socket as Socket }, done) : done(error, null),
        ),
      callback,
    )
  }
  return { connector, proxyPool }
}

/** The keep-alive connections of one core: direct, and per proxy. Made once, reused by every request of a resident core. */
export interface Network {
  readonly direct: Dispatcher
  /** The dispatcher through this proxy (made at its first use), or the direct one. */
  through(proxy: ProxyChoice | undefined): Dispatcher
  /** Opens a direct connection to `url`'s origin now, for the first request to it (http/warmConnections.ts). */
  preconnect(url: URL): void
  close(): Promise<void>
}

export function createNetwork(env: Env): Network {
  const trust = createTlsTrust(env)
  const connect = directConnector(trust)
  const warm = createWarmConnections(connect)
  const direct = new Agent({ keepAliveTimeout: KEEP_ALIVE_MS, connect: warm.connector })
  const proxied = new Map<string, { agent: Agent; proxyPool: Pool }>()
  return {
    direct,
    through(proxy) {
      if (proxy === undefined) return direct
      const key = proxy.url.href
      let entry = proxied.get(key)
      if (entry === undefined) {
        const { connector, proxyPool } = tunnelConnector(proxy, connect, trust)
        entry = { agent: new Agent({ keepAliveTimeout: KEEP_ALIVE_MS, connect: connector }), proxyPool }
        proxied.set(key, entry)
        for (const [oldest, old] of proxied) {
          if (proxied.size <= MAX_PROXIES) break
          proxied.delete(oldest)
          void old.agent.close().then(() => old.proxyPool.close())
        }
      }
      return entry.agent
    },
    preconnect(url) {
      checkUrl(url, 'token', `The connection to ${url.origin}`)
      warm.open(url)
    },
    async close() {
      warm.close()
      // destroy(), not close(): a CONNECT still waiting for a silent proxy must not hold the one-shot core open.
      await Promise.all([
        direct.close(),
        ...[...proxied.values()].map(async (entry) => {
          await entry.agent.destroy()
          await entry.proxyPool.destroy()
        }),
      ])
    },
  }
}

async function readLimited(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > LIMITS.maxResponseBytes) {
      body.destroy()
      throw new Error(`response body larger than ${LIMITS.maxResponseBytes} bytes`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

/**
 * A dispatcher for the Service Fabric identity endpoint, the one connection not verified against the trust store:
 * its certificate is self-signed, so trust comes from the pinned SHA-1 thumbprint alone, checked on every new
 * connection before any byte of the request is sent. Never through a proxy.
 */
export function createPinnedDispatcher(pinnedThumbprint: string): Dispatcher {
  const expected = pinnedThumbprint.replace(/[^0-9a-f]/gi, '').toUpperCase()
  const connectUnverified = buildConnector({ rejectUnauthorized: false, ...SOCKET })
  const connect: buildConnector.connector = (options, callback) =>
    connectUnverified(options, (error, socket) => {
      if (error !== null) return callback(error, null)
      const certificate = 'getPeerCertificate' in socket ? (socket as TLSSocket).getPeerCertificate() : undefined
      const actual = certificate?.fingerprint?.replace(/:/g, '').toUpperCase()
      if (actual === expected) return callback(null, socket)
      socket.destroy()
      const pinError = Object.assign(
        new Error(`The server certificate's thumbprint ${actual ?? '(none)'} is not IDENTITY_SERVER_THUMBPRINT.`),
        {
          code: 'ERR_TLS_CERT_PIN_MISMATCH',
        },
      )
      return callback(pinError, null)
    })
  return new Agent({ keepAliveTimeout: 10_000, connect })
}

/**
 * An HttpClient whose every URL passes the rule for its purpose (http/urlPolicy.ts) before any byte is sent.
 * @param route the dispatcher for a URL (a fixed one in tests, a MockAgent)
 */
export function createHttpClient(
  route: Dispatcher | ((url: URL) => Dispatcher),
  purpose: UrlPurpose = 'token',
): HttpClient {
  const send = async (input: HttpRequest): Promise<HttpResponse> => {
    const url = new URL(input.url)
    checkUrl(url, purpose, `The request to ${url.origin}`)
    const dispatcher = typeof route === 'function' ? route(url) : route
    const response = await requestOn.call(dispatcher, {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: input.method,
      headers: { accept: 'application/json', ...input.headers },
      ...(input.body === undefined ? {} : { body: input.body }),
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    })
    return {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body: await readLimited(response.body),
    }
  }
  return {
    send,
    postForm: (url, form, options = {}) =>
      send({
        method: 'POST',
        url,
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', ...options.headers },
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      }),
  }
}

/** What a TLS handshake with a server showed: who issued its certificate, and whether this machine trusts it. */
export interface TlsProbe {
  /** Common name (else organisation) of the leaf certificate's issuer, as the server presented it. */
  issuer: string
  /** The issuer's organisation, when the certificate names one. */
  issuerOrganization?: string
  subject: string
  /** ISO 8601 end of the leaf certificate's validity. */
  validTo: string
  /** True when the chain verifies against the trust this core uses for every request (http/trust.ts). */
  trusted: boolean
  /** OpenSSL's reason when it does not, e.g. SELF_SIGNED_CERT_IN_CHAIN. */
  trustError?: string
}

const TLS_PROBE_MS = 10_000

function firstName(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/**
 * One TLS handshake with `url`'s host (through `proxy` when one applies, by CONNECT), to see the certificate it
 * presents: the diagnostics' TLS check. The handshake is not verified so the issuer can be named even when it is
 * untrusted; nothing is sent over it, and `trusted` says what a real request would meet.
 */
export async function probeTls(url: URL, env: Env, proxy: ProxyChoice | undefined): Promise<TlsProbe> {
  const port = url.port === '' ? 443 : Number(url.port)
  let tunnel: Socket | undefined
  let proxyPool: Pool | undefined
  try {
    if (proxy !== undefined) {
      proxyPool = new Pool(proxy.url.origin, { connect: { ...SOCKET }, headersTimeout: PROXY_ANSWER_MS })
      const target = `${url.hostname}:${port}`
      const { username, password } = proxy.url
      const authorization =
        username === '' && password === ''
          ? undefined
          : `Basic ${Buffer.from(`${decodeURIComponent(username)}:${decodeURIComponent(password)}`).toString('base64')}`
      const { statusCode, socket } = await connectOn.call(proxyPool, {
        path: target,
        headers: { host: target, ...(authorization === undefined ? {} : { 'proxy-authorization': authorization }) },
        signal: AbortSignal.timeout(PROXY_ANSWER_MS),
      })
      if (statusCode !== 200) {
        socket.destroy()
        throw proxyRefusal(statusCode, proxy, target)
      }
      tunnel = socket as Socket
    }
    const { secureContext } = verifiedTlsOptions(env)
    return await new Promise<TlsProbe>((resolve, reject) => {
      const socket = tlsConnect({
        host: url.hostname,
        port,
        servername: url.hostname.match(/^[\d.]+$|:/) ? undefined : url.hostname,
        secureContext,
        rejectUnauthorized: false,
        ...(tunnel === undefined ? {} : { socket: tunnel }),
      })
      const timer = setTimeout(
        () =>
          socket.destroy(
            Object.assign(new Error(`no TLS handshake with ${url.host} within ${TLS_PROBE_MS / 1000} s`), {
              code: 'ERR_TLS_PROBE_TIMEOUT',
            }),
          ),
        TLS_PROBE_MS,
      )
      socket.once('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
      socket.once('secureConnect', () => {
        clearTimeout(timer)
        const peer = socket.getPeerCertificate()
        const issuerOrganization = firstName(peer.issuer?.O)
        const probe: TlsProbe = {
          issuer: firstName(peer.issuer?.CN) ?? issuerOrganization ?? '(no issuer name)',
          subject: firstName(peer.subject?.CN) ?? '(no subject name)',
          validTo: new Date(peer.valid_to).toISOString(),
          trusted: socket.authorized,
          ...(issuerOrganization === undefined ? {} : { issuerOrganization }),
          ...(socket.authorizationError === null || socket.authorizationError === undefined
            ? {}
            : { trustError: String((socket.authorizationError as Error).message ?? socket.authorizationError) }),
        }
        socket.end()
        resolve(probe)
      })
    })
  } finally {
    tunnel?.destroy()
    await proxyPool?.destroy()
  }
}
