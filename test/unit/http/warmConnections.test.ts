// Pre-connect (src/http/warmConnections.ts): a connection opened before its request is handed to the first request
// of its origin, once; a failed, closed, stale or unused one never is, and the request then connects itself.

import type { Socket } from 'node:net'
import type { buildConnector } from 'undici'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createWarmConnections, WARM_CONNECTION_MS } from '../../../src/http/warmConnections.js'

interface FakeSocket {
  destroyed: boolean
  readable: boolean
  writable: boolean
  readableLength: number
  destroy: () => void
  once: (event: string, listener: () => void) => FakeSocket
  closeListeners: (() => void)[]
}

function fakeSocket(): FakeSocket {
  const socket: FakeSocket = {
    destroyed: false,
    readable: true,
    writable: true,
    readableLength: 0,
    closeListeners: [],
    destroy: () => {
      socket.destroyed = true
    },
    once: (event, listener) => {
      if (event === 'close') socket.closeListeners.push(listener)
      return socket
    },
  }
  return socket
}

/** A connector that records each attempt and answers when the test says so. */
function recordingConnector() {
  const attempts: { options: buildConnector.Options; answer: (error: Error | null, socket?: FakeSocket) => void }[] = []
  const connect: buildConnector.connector = (options, callback) => {
    attempts.push({
      options,
      answer: (error, socket) => (error === null ? callback(null, socket as unknown as Socket) : callback(error, null)),
    })
  }
  return { connect, attempts }
}

const origin = new URL('https://login.example.test:8443')
const requestOptions = (extra: Partial<buildConnector.Options> = {}) =>
  ({
    protocol: 'https:',
    hostname: 'login.example.test',
    host: 'login.example.test:8443',
    port: '8443',
    ...extra,
  }) as buildConnector.Options

/** What the request's callback got: resolves on its first call. */
function requestCallback() {
  let resolve!: (value: { error: Error | null; socket: unknown }) => void
  const got = new Promise<{ error: Error | null; socket: unknown }>((done) => (resolve = done))
  const callback = ((error: Error | null, socket: unknown) => resolve({ error, socket })) as buildConnector.Callback
  return { callback, got }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('connections opened before their request', () => {
  it('the first request to the origin takes the opened connection instead of connecting', async () => {
    const { connect, attempts } = recordingConnector()
    const warm = createWarmConnections(connect)
    warm.open(origin)
    expect(attempts).toHaveLength(1)
    expect(attempts[0]!.options).toMatchObject({ protocol: 'https:', hostname: 'login.example.test', port: '8443' })
    const socket = fakeSocket()
    attempts[0]!.answer(null, socket)
    const first = requestCallback()
    warm.connector(requestOptions(), first.callback)
    expect(await first.got).toEqual({ error: null, socket })
    expect(attempts).toHaveLength(1)
    // Once only: the next connection to the same origin is a new one.
    warm.connector(requestOptions(), requestCallback().callback)
    expect(attempts).toHaveLength(2)
  })

  it('a request that comes during the handshake waits for it', async () => {
    const { connect, attempts } = recordingConnector()
    const warm = createWarmConnections(connect)
    warm.open(origin)
    const first = requestCallback()
    warm.connector(requestOptions(), first.callback)
    expect(attempts).toHaveLength(1)
    const socket = fakeSocket()
    attempts[0]!.answer(null, socket)
    expect(await first.got).toEqual({ error: null, socket })
  })

  it('a failed pre-connect is not the request’s answer: the request connects itself', async () => {
    const { connect, attempts } = recordingConnector()
    const warm = createWarmConnections(connect)
    warm.open(origin)
    const first = requestCallback()
    warm.connector(requestOptions(), first.callback)
    attempts[0]!.answer(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
    expect(attempts).toHaveLength(2)
    expect(attempts[1]!.options).toEqual(requestOptions())
    const socket = fakeSocket()
    attempts[1]!.answer(null, socket)
    expect(await first.got).toEqual({ error: null, socket })
  })

  it('a connection the server closed, or that has data nobody asked for, is not handed out', () => {
    const { connect, attempts } = recordingConnector()
    const warm = createWarmConnections(connect)
    warm.open(origin)
    const closed = fakeSocket()
    attempts[0]!.answer(null, closed)
    closed.destroyed = true
    for (const listener of closed.closeListeners) listener()
    warm.connector(requestOptions(), requestCallback().callback)
    expect(attempts).toHaveLength(2)

    const other = createWarmConnections(connect)
    other.open(origin)
    const chatty = fakeSocket()
    attempts[2]!.answer(null, chatty)
    chatty.readableLength = 5
    other.connector(requestOptions(), requestCallback().callback)
    expect(attempts).toHaveLength(4)
    expect(chatty.destroyed).toBe(true)
  })

  it('an unused connection is closed after WARM_CONNECTION_MS, and by close()', () => {
    vi.useFakeTimers()
    const { connect, attempts } = recordingConnector()
    const warm = createWarmConnections(connect)
    warm.open(origin)
    const idle = fakeSocket()
    attempts[0]!.answer(null, idle)
    vi.advanceTimersByTime(WARM_CONNECTION_MS)
    expect(idle.destroyed).toBe(true)
    warm.connector(requestOptions(), requestCallback().callback)
    expect(attempts).toHaveLength(2)

    warm.open(origin)
    const open = fakeSocket()
    attempts[2]!.answer(null, open)
    warm.close()
    expect(open.destroyed).toBe(true)
    // Still opening when the core closes: closed as soon as it connects.
    warm.open(origin)
    warm.close()
    const late = fakeSocket()
    attempts[3]!.answer(null, late)
    expect(late.destroyed).toBe(true)
  })

  it('other origins and proxy tunnels never take it', () => {
    const { connect, attempts } = recordingConnector()
    const warm = createWarmConnections(connect)
    warm.open(origin)
    const socket = fakeSocket()
    attempts[0]!.answer(null, socket)
    warm.connector(requestOptions({ port: '443', host: 'login.example.test' }), requestCallback().callback)
    warm.connector(requestOptions({ httpSocket: fakeSocket() as unknown as Socket }), requestCallback().callback)
    expect(attempts).toHaveLength(3)
    expect(socket.destroyed).toBe(false)
  })
})
