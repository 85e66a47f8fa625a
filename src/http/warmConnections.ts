// Direct connections opened before their first request (pre-connect): the TLS handshake overlaps the core's wait
// for the request line, and the first request to that origin takes the connection over instead of opening one.

import type { Socket } from 'node:net'
import type { buildConnector } from 'undici'

/** How long an opened connection waits for its request before it is closed: a cold call writes its request at once. */
export const WARM_CONNECTION_MS = 10_000

interface Warm {
  /** Set once the connection attempt has ended: the socket, or null when it failed (the request then connects itself). */
  socket: Socket | null | undefined
  /** A request took it (or is waiting for its handshake), or it was given up (unused too long, the core closing). */
  state: 'open' | 'taken' | 'dropped'
  /** The request that came while the handshake was still running. */
  waiting: ((socket: Socket | null) => void) | undefined
  timer: NodeJS.Timeout
}

export interface WarmConnections {
  /** The connector to give undici: it hands out an opened connection once, to the first request of its origin. */
  connector: buildConnector.connector
  /** Opens a connection to `url`'s origin through the wrapped connector, unless one is open or opening already. */
  open(url: URL): void
  /** Closes every connection no request took. */
  close(): void
}

/** The key undici's options and a URL share: `https://host:port` (port as given, empty for the default). */
function originKey(protocol: string, hostname: string, port: string | number | null | undefined): string {
  return `${protocol}//${hostname.replace(/^\[|\]$/g, '')}:${port ?? ''}`
}

/** Open, not closed by either side, nothing read from it: the server speaks only after a request. */
function usable(socket: Socket): boolean {
  return !socket.destroyed && socket.readable && socket.writable && socket.readableLength === 0
}

/**
 * Wraps `connect` (the direct connector: verified TLS, http/trust.ts) so that connections can be opened early.
 * A connection that fails or is closed before its request is dropped silently: the request then connects as
 * always and reports what it meets. Tunnels through a proxy never use an opened connection.
 */
export function createWarmConnections(connect: buildConnector.connector): WarmConnections {
  const warm = new Map<string, Warm>()
  const leave = (key: string, entry: Warm, state: 'taken' | 'dropped') => {
    if (warm.get(key) === entry) warm.delete(key)
    clearTimeout(entry.timer)
    entry.state = state
    if (state === 'dropped') entry.socket?.destroy()
  }
  return {
    connector(options, callback) {
      const key = originKey(options.protocol, options.hostname, options.port)
      const entry = options.httpSocket === undefined ? warm.get(key) : undefined
      if (entry === undefined) return connect(options, callback)
      leave(key, entry, 'taken')
      const takeOver = (socket: Socket | null) => {
        // Later, never inside this call: undici's client expects its connector to answer asynchronously.
        if (socket !== null && usable(socket)) return queueMicrotask(() => callback(null, socket))
        socket?.destroy()
        connect(options, callback)
      }
      if (entry.socket === undefined) entry.waiting = takeOver
      else takeOver(entry.socket)
    },
    open(url) {
      const key = originKey(url.protocol, url.hostname, url.port)
      if (warm.has(key)) return
      const entry: Warm = {
        socket: undefined,
        state: 'open',
        waiting: undefined,
        timer: setTimeout(() => leave(key, entry, 'dropped'), WARM_CONNECTION_MS).unref(),
      }
      warm.set(key, entry)
      const opening = () =>
        connect(
          {
            protocol: url.protocol,
            hostname: url.hostname.replace(/^\[|\]$/g, ''),
            host: url.host,
            port: url.port,
          } as buildConnector.Options,
          (error, connected) => {
            const socket = error === null ? connected : null
            entry.socket = socket
            if (entry.state === 'dropped') return void socket?.destroy()
            if (entry.state === 'taken') return entry.waiting?.(socket)
            if (socket === null) return leave(key, entry, 'dropped')
            // Closed by the server, or broken, while no request had it: forget it.
            socket.once('close', () => {
              if (entry.state === 'open') leave(key, entry, 'dropped')
            })
          },
        )
      try {
        opening()
      } catch {
        leave(key, entry, 'dropped')
      }
    },
    close() {
      for (const [key, entry] of warm) leave(key, entry, 'dropped')
    },
  }
}
