// The loopback redirect listener of a browser sign-in: http://localhost:<free port>/ on 127.0.0.1 and ::1, one answer, then closed.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The browser's redirect to the listener: its query, and the page to answer it with (the listener closes after that). */
export interface Redirect {
  params: URLSearchParams
  respond(html: string): Promise<void>
}

export interface LoopbackListener {
  /** `http://localhost:<port>/`: the redirect URI sent to Entra (a loopback URI, so any port matches the registered `http://localhost`). */
  readonly redirectUri: string
  readonly port: number
  /** Which addresses listen: `127.0.0.1`, and `::1` where the machine has IPv6. */
  readonly addresses: readonly string[]
  /** The first request to `/` that carries `code` or `error`; requests without them are answered 404 and do not count. */
  readonly redirect: Promise<Redirect>
  /** Stops listening and drops every connection; safe to call more than once. */
  close(): Promise<void>
}

/** Tries for a port that is free on both 127.0.0.1 and ::1. */
const PORT_ATTEMPTS = 5

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening)
      reject(error)
    }
    const onListening = () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen({ port, host, exclusive: true })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve()
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined
}

/**
 * Opens the listener on a free port of 127.0.0.1 and, where the machine has IPv6, the same port of ::1 (as MSAL.NET
 * listens on localhost): a browser that resolves `localhost` to either reaches it.
 */
export async function openLoopbackListener(): Promise<LoopbackListener> {
  let settle: (redirect: Redirect) => void = () => undefined
  const redirect = new Promise<Redirect>((resolve) => (settle = resolve))
  let answered = false
  const servers: Server[] = []

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const params = url.searchParams
    if (answered || request.method !== 'GET' || url.pathname !== '/' || (!params.has('code') && !params.has('error'))) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' })
      response.end('Not the sign-in answer.\n')
      return
    }
    answered = true
    settle({
      params,
      respond: (html) =>
        new Promise<void>((resolve) => {
          // 'close' too: a browser that went away never lets the response finish.
          response.once('close', () => resolve())
          response.writeHead(200, {
            'Content-Type': 'text/html; charset=utf-8',
            'Cache-Control': 'no-store',
            Connection: 'close',
          })
          response.end(html)
        }),
    })
  }

  for (let attempt = 1; ; attempt++) {
    const ipv4 = createServer(handle)
    const port = await listen(ipv4, 0, '127.0.0.1')
    const ipv6 = createServer(handle)
    try {
      await listen(ipv6, port, '::1')
      servers.push(ipv4, ipv6)
    } catch (error) {
      const code = errorCode(error)
      if (code === 'EADDRINUSE' && attempt < PORT_ATTEMPTS) {
        await closeServer(ipv4)
        continue
      }
      // No IPv6 on this machine (or the port stays taken there): 127.0.0.1 alone, which browsers try for localhost.
      servers.push(ipv4)
    }
    for (const server of servers) server.unref()
    let closing: Promise<void> | undefined
    return {
      redirectUri: `http://localhost:${port}/`,
      port,
      addresses: servers.map((server) => (server.address() as AddressInfo).address),
      redirect,
      close: () => (closing ??= Promise.all(servers.map(closeServer)).then(() => undefined)),
    }
  }
}
