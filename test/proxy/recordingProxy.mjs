// A recording HTTP proxy on 127.0.0.1 for tests: records every CONNECT target and plain proxied request, tunnels
// CONNECT to 127.0.0.1 on the asked port (names such as login.emulator.test resolve to the emulator here), and
// answers 407 when it wants credentials that were not given. `node recordingProxy.mjs <log file> [user:password]`
// prints {"url":…}, appends one JSON line per request it saw to the log file, and runs until stdin closes (Pester).

import { appendFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'

/**
 * @param {{ credentials?: string }} options `user:password` the proxy demands (Basic), or none
 * @returns {Promise<{ url: string, seen: Array<{ method: string, target: string, authorized: boolean, authorization: boolean }>, close(): Promise<void> }>}
 */
export async function startRecordingProxy(options = {}) {
  const seen = []
  const expected =
    options.credentials === undefined ? undefined : `Basic ${Buffer.from(options.credentials).toString('base64')}`
  const check = (request) => {
    const given = request.headers['proxy-authorization']
    return { authorization: given !== undefined, authorized: expected === undefined || given === expected }
  }
  const server = createServer((request, response) => {
    const entry = {
      method: request.method ?? '',
      target: request.url ?? '',
      ...check(request),
      headerAuthorization: request.headers.authorization !== undefined,
    }
    seen.push(entry)
    options.onRequest?.(entry)
    response
      .writeHead(entry.authorized ? 502 : 407, entry.authorized ? {} : { 'proxy-authenticate': 'Basic realm="test"' })
      .end()
  })
  server.on('connect', (request, socket, head) => {
    const entry = { method: 'CONNECT', target: request.url ?? '', ...check(request) }
    seen.push(entry)
    options.onRequest?.(entry)
    if (!entry.authorized) {
      socket.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n',
      )
      return
    }
    const port = Number(entry.target.split(':').at(-1))
    const upstream = connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(socket).pipe(upstream)
    })
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`,
    seen,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [log, credentials] = process.argv.slice(2)
  const proxy = await startRecordingProxy({
    ...(credentials === undefined ? {} : { credentials }),
    onRequest: (entry) => appendFileSync(log, `${JSON.stringify(entry)}\n`),
  })
  process.stdout.write(`${JSON.stringify({ url: proxy.url })}\n`)
  process.stdin.resume()
  process.stdin.on('end', () => void proxy.close().then(() => process.exit(0)))
}
