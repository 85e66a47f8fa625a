// Pre-connect, end to end: a resident core whose login host is known from AZURE_AUTHORITY_HOST opens its connection
// before any request and serves the first request over it; without the variable it connects only for a request.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

const bundle = fileURLToPath(new URL('../../module/bin/entraauth.mjs', import.meta.url))
const tenantId = '8d3c5a0e-0000-4000-8000-000000000001'
const clientId = '8d3c5a0e-0000-4000-8000-000000000002'

/** A loopback login host (plain http is accepted for loopback) that counts connections and refuses every grant. */
function startLoginHost(): Promise<{ server: Server; url: string; connections: () => number; requests: string[] }> {
  let connections = 0
  const requests: string[] = []
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`)
    request.resume()
    request.on('end', () => {
      response.writeHead(401, { 'content-type': 'application/json' })
      response.end(
        JSON.stringify({ error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret.' }),
      )
    })
  })
  server.on('connection', () => connections++)
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        connections: () => connections,
        requests,
      }),
    ),
  )
}

function startCore(env: Record<string, string>): {
  child: ChildProcessWithoutNullStreams
  envelope: Promise<any>
} {
  const child = spawn(process.execPath, [bundle, '--serve'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...env },
  })
  const envelope = new Promise<any>((resolve) =>
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line)
      if (message.envelope !== undefined) resolve(message.envelope)
    }),
  )
  return { child, envelope }
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20))
}

const request = (overrides: Record<string, unknown> = {}) =>
  `${JSON.stringify({ id: 1, protocolVersion: 1, flow: 'clientSecret', tenantId, clientId, clientSecret: 'not-the-secret', timeoutSec: 10, ...overrides })}\n`

describe('pre-connect to the login host', () => {
  let login: Awaited<ReturnType<typeof startLoginHost>>
  let core: ReturnType<typeof startCore> | undefined
  beforeAll(() => {
    if (!existsSync(bundle)) throw new Error('module/bin/entraauth.mjs is missing: run "npm run build" first')
  })
  beforeEach(async () => {
    login = await startLoginHost()
  })
  afterEach(async () => {
    core?.child.kill('SIGKILL')
    core = undefined
    login.server.closeAllConnections()
    await new Promise((resolve) => login.server.close(resolve))
  })

  it('with AZURE_AUTHORITY_HOST, connects before the first request and sends that request over the same connection', async () => {
    core = startCore({ AZURE_AUTHORITY_HOST: login.url })
    await waitFor(() => login.connections() > 0, 10_000)
    expect(login.connections()).toBe(1)
    expect(login.requests).toEqual([])
    core.child.stdin.write(request())
    expect(await core.envelope).toMatchObject({ ok: false, error: { code: 'ERR_AUTH_FAILED' } })
    expect(login.requests).toEqual([`POST /${tenantId}/oauth2/v2.0/token`])
    expect(login.connections()).toBe(1)
  })

  it('without it, opens no connection until a request names the host', async () => {
    core = startCore({})
    // The same wait the core above needed to connect, and more.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(login.connections()).toBe(0)
    core.child.stdin.write(request({ authorityHost: login.url }))
    expect(await core.envelope).toMatchObject({ ok: false, error: { code: 'ERR_AUTH_FAILED' } })
    expect(login.connections()).toBe(1)
  })
})
