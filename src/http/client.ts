// The only importer of undici: POSTs forms with keep-alive, proxy support and verified TLS.

import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici'
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

/** What the flows need from the network; tests pass an implementation over a MockAgent. */
export interface HttpClient {
  postForm(url: string, form: URLSearchParams, options?: HttpRequestOptions): Promise<HttpResponse>
}

/**
 * Builds the dispatcher for token requests: proxy from HTTPS_PROXY/HTTP_PROXY/NO_PROXY when set,
 * otherwise a plain keep-alive Agent. TLS verification is never turned off; NODE_EXTRA_CA_CERTS is
 * honoured by Node's TLS layer itself.
 */
export function createDispatcher(env: Env): Dispatcher {
  if (env.httpsProxy === undefined && env.httpProxy === undefined) return new Agent({ keepAliveTimeout: 10_000 })
  // Every value explicit ('' = none), so undici does not read process.env a second time.
  return new EnvHttpProxyAgent({ httpsProxy: env.httpsProxy ?? '', httpProxy: env.httpProxy ?? '', noProxy: env.noProxy ?? '' })
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

/** An HttpClient over the given undici dispatcher. */
export function createHttpClient(dispatcher: Dispatcher): HttpClient {
  return {
    async postForm(url, form, options = {}) {
      const response = await request(url, {
        method: 'POST',
        dispatcher,
        body: form.toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
          accept: 'application/json',
          ...options.headers,
        },
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      })
      return { status: response.statusCode, headers: flattenHeaders(response.headers), body: await readLimited(response.body) }
    },
  }
}
