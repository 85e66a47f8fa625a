// The only importer of undici: POSTs forms with keep-alive, proxy support and verified TLS.

import type { TLSSocket } from 'node:tls'
import { Agent, buildConnector, EnvHttpProxyAgent, request, type Dispatcher } from 'undici'

export type { Dispatcher }
import { LIMITS } from '../config/constants.js'
import type { Env } from '../config/env.js'

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

/**
 * Builds the dispatcher for token requests: proxy from HTTPS_PROXY/HTTP_PROXY/NO_PROXY when set,
 * otherwise a plain keep-alive Agent. TLS verification is never turned off; NODE_EXTRA_CA_CERTS is
 * honoured by Node's TLS layer itself.
 */
export function createDispatcher(env: Env): Dispatcher {
  // No TCP keep-alive probes: setting them before connect fails under wine (Windows' TCP_KEEPINTVL/TCP_KEEPCNT),
  // where the Windows executable's smoke test runs. HTTP keep-alive it is: the resident core reuses an idle
  // connection to the login host for up to a minute (or less, when the server's Keep-Alive says so).
  const connect = { keepAlive: false }
  if (env.httpsProxy === undefined && env.httpProxy === undefined) return new Agent({ keepAliveTimeout: 60_000, connect })
  // Every value explicit ('' = none), so undici does not read process.env a second time.
  return new EnvHttpProxyAgent({ httpsProxy: env.httpsProxy ?? '', httpProxy: env.httpProxy ?? '', noProxy: env.noProxy ?? '', connect, proxyTls: connect, requestTls: connect })
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
 * A dispatcher for managed identity endpoints: never through a proxy (they live on the host or link-local),
 * and, for Service Fabric, a server certificate accepted only when its SHA-1 thumbprint is the pinned one.
 */
export function createDirectDispatcher(pinnedThumbprint?: string): Dispatcher {
  if (pinnedThumbprint === undefined) return new Agent({ keepAliveTimeout: 10_000, connect: { keepAlive: false } })
  const expected = pinnedThumbprint.replace(/[^0-9a-f]/gi, '').toUpperCase()
  // The Service Fabric identity endpoint has a self-signed certificate: trust comes from the pin alone,
  // checked on every new connection before any byte of the request is sent.
  const connectInsecure = buildConnector({ rejectUnauthorized: false, keepAlive: false })
  const connect: buildConnector.connector = (options, callback) =>
    connectInsecure(options, (error, socket) => {
      if (error !== null) return callback(error, null)
      const certificate = 'getPeerCertificate' in socket ? (socket as TLSSocket).getPeerCertificate() : undefined
      const actual = certificate?.fingerprint?.replace(/:/g, '').toUpperCase()
      if (actual === expected) return callback(null, socket)
      socket.destroy()
      const pinError = Object.assign(new Error(`The server certificate's thumbprint ${actual ?? '(none)'} is not IDENTITY_SERVER_THUMBPRINT.`), {
        code: 'ERR_TLS_CERT_PIN_MISMATCH',
      })
      return callback(pinError, null)
    })
  return new Agent({ keepAliveTimeout: 10_000, connect })
}

/** An HttpClient over the given undici dispatcher. */
export function createHttpClient(dispatcher: Dispatcher): HttpClient {
  const send = async (input: HttpRequest): Promise<HttpResponse> => {
    const response = await request(input.url, {
      method: input.method,
      dispatcher,
      headers: { accept: 'application/json', ...input.headers },
      ...(input.body === undefined ? {} : { body: input.body }),
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    })
    return { status: response.statusCode, headers: flattenHeaders(response.headers), body: await readLimited(response.body) }
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
