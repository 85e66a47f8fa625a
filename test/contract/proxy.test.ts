// The core honours HTTPS_PROXY and NO_PROXY: token requests tunnel through a loopback CONNECT proxy.

import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'

const bundle = fileURLToPath(new URL('../../module/bin/entraauth.mjs', import.meta.url))
const tenant = directory.tenants[0]!
const app = tenant.apps[0]!

function runCore(env: Record<string, string>): Promise<{ exitCode: number | null; envelope: { ok: boolean } }> {
  const child = spawn(process.execPath, [bundle], { stdio: ['pipe', 'pipe', 'inherit'], env: { PATH: process.env.PATH ?? '', ...env } })
  let stdout = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stdin.end(JSON.stringify({ protocolVersion: 1, flow: 'clientSecret', tenantId: tenant.id, clientId: app.clientId, clientSecret: app.secrets[0]!.value }))
  return new Promise((resolve) => child.on('close', (exitCode) => resolve({ exitCode, envelope: JSON.parse(stdout) })))
}

describe('proxy support', () => {
  let emulator: Emulator
  let proxy: Server
  let proxyUrl: string
  const tunnels: string[] = []

  beforeAll(async () => {
    emulator = await startEmulator()
    proxy = createServer((_, response) => response.writeHead(405).end())
    proxy.on('connect', (request, socket, head) => {
      tunnels.push(request.url ?? '')
      const [host, port] = (request.url ?? '').split(':')
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(socket).pipe(upstream)
      })
      upstream.on('error', () => socket.destroy())
      socket.on('error', () => upstream.destroy())
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const address = proxy.address()
    proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  })

  afterAll(async () => {
    proxy.closeAllConnections()
    await new Promise((resolve) => proxy.close(resolve))
    await emulator.close()
  })

  it('tunnels the token request through HTTPS_PROXY', async () => {
    tunnels.length = 0
    const run = await runCore({ NODE_EXTRA_CA_CERTS: emulator.caFile, AZURE_AUTHORITY_HOST: emulator.url, HTTPS_PROXY: proxyUrl })
    expect(run.envelope.ok).toBe(true)
    expect(tunnels).toEqual([new URL(emulator.url).host])
  })

  it('goes direct for hosts in NO_PROXY', async () => {
    tunnels.length = 0
    const run = await runCore({ NODE_EXTRA_CA_CERTS: emulator.caFile, AZURE_AUTHORITY_HOST: emulator.url, HTTPS_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' })
    expect(run.envelope.ok).toBe(true)
    expect(tunnels).toEqual([])
  })
})
