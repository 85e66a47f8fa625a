// Proxies through the built core: which proxy a request takes (-Proxy, ENTRAAUTH_PROXY, HTTPS_PROXY, the system
// proxy), that loopback and managed identity never take one, plain http refused, and a proxy's 407.

import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import managedIdentities from '../fixtures/managedIdentities.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'
import { runResident, type ResidentRun } from './residentCore.js'
import { PROXIED_LOGIN_NAME } from '../emulator/tls.js'
import { startRecordingProxy } from '../proxy/recordingProxy.mjs'

const tenant = directory.tenants[0]!
const app = tenant.apps[0]!
const secret = app.secrets[0]!.value

/** One request to a resident core (--serve, as the module runs it): envelope, log lines as stderr, the one-shot exit code. */
function runCore(env: Record<string, string>, fields: Record<string, unknown> = {}): Promise<ResidentRun> {
  return runResident(env, { protocolVersion: 1, flow: 'clientSecret', tenantId: tenant.id, clientId: app.clientId, clientSecret: secret, logLevel: 'debug', timeoutSec: 20, ...fields })
}

type Proxy = Awaited<ReturnType<typeof startRecordingProxy>>

describe('proxies', () => {
  let emulator: Emulator
  let first: Proxy
  let second: Proxy
  let guarded: Proxy
  /** The emulator by a name only the proxy resolves: a request that reaches it went through a proxy. */
  let proxiedLogin = ''
  let proxiedTarget = ''

  beforeAll(async () => {
    emulator = await startEmulator()
    ;[first, second, guarded] = await Promise.all([startRecordingProxy(), startRecordingProxy(), startRecordingProxy({ credentials: 'automation:p@ss:w0rd' })])
    proxiedTarget = `${PROXIED_LOGIN_NAME}:${new URL(emulator.url).port}`
    proxiedLogin = `https://${proxiedTarget}`
  })
  beforeEach(() => {
    for (const proxy of [first, second, guarded]) proxy.seen.length = 0
  })
  afterAll(async () => {
    await Promise.all([first.close(), second.close(), guarded.close(), emulator.close()])
  })

  const trust = () => ({ NODE_EXTRA_CA_CERTS: emulator.caFile })
  const targets = (proxy: Proxy) => proxy.seen.map((entry) => `${entry.method} ${entry.target}`)

  it('tunnels the token request through HTTPS_PROXY', async () => {
    const run = await runCore({ ...trust(), AZURE_AUTHORITY_HOST: proxiedLogin, HTTPS_PROXY: first.url })
    expect(run.envelope, run.stderr).toMatchObject({ ok: true })
    expect(targets(first)).toEqual([`CONNECT ${proxiedTarget}`])
    expect(run.stderr).toContain(`through the proxy ${first.url} (HTTPS_PROXY)`)
  })

  it('uses the system proxy the module sends (systemProxy) when no proxy variable is set', async () => {
    const run = await runCore({ ...trust() }, { authorityHost: proxiedLogin, systemProxy: first.url })
    expect(run.envelope, run.stderr).toMatchObject({ ok: true })
    expect(targets(first)).toEqual([`CONNECT ${proxiedTarget}`])
  })

  it('HTTPS_PROXY wins over the system proxy', async () => {
    const run = await runCore({ ...trust(), HTTPS_PROXY: second.url }, { authorityHost: proxiedLogin, systemProxy: first.url })
    expect(run.envelope.ok).toBe(true)
    expect(targets(first)).toEqual([])
    expect(targets(second)).toEqual([`CONNECT ${proxiedTarget}`])
  })

  it('ENTRAAUTH_PROXY wins over HTTPS_PROXY and the system proxy', async () => {
    const run = await runCore({ ...trust(), HTTPS_PROXY: first.url, ENTRAAUTH_PROXY: second.url }, { authorityHost: proxiedLogin, systemProxy: first.url })
    expect(run.envelope.ok).toBe(true)
    expect(targets(first)).toEqual([])
    expect(targets(second)).toEqual([`CONNECT ${proxiedTarget}`])
  })

  it('-Proxy (request field proxy) wins over ENTRAAUTH_PROXY, HTTPS_PROXY and the system proxy', async () => {
    const run = await runCore({ ...trust(), HTTPS_PROXY: first.url, ENTRAAUTH_PROXY: first.url }, { authorityHost: proxiedLogin, systemProxy: first.url, proxy: second.url })
    expect(run.envelope, run.stderr).toMatchObject({ ok: true })
    expect(targets(first)).toEqual([])
    expect(targets(second)).toEqual([`CONNECT ${proxiedTarget}`])
    expect(run.stderr).toContain(`through the proxy ${second.url} (-Proxy)`)
  })

  it('a loopback login host never goes through a proxy, whatever is configured', async () => {
    const run = await runCore({ ...trust(), HTTPS_PROXY: first.url, ENTRAAUTH_PROXY: first.url }, { authorityHost: emulator.url, systemProxy: first.url, proxy: first.url })
    expect(run.envelope.ok).toBe(true)
    expect(targets(first)).toEqual([])
  })

  it('a proxy that answers 407: a clear error naming the proxy without its credentials, and no retry', async () => {
    const run = await runCore({ ...trust() }, { authorityHost: proxiedLogin, proxy: guarded.url.replace('http://', 'http://someone:wrong-password@') })
    expect(run.exitCode).toBe(4)
    expect(run.envelope.error).toMatchObject({ code: 'ERR_NETWORK', status: 407 })
    expect(run.envelope.error?.message).toContain(`The proxy ${guarded.url} (-Proxy) asks for authentication (HTTP 407`)
    expect(run.envelope.error?.hint).toMatch(/http:\/\/user:password@host:port.*allow-list/)
    expect(targets(guarded)).toEqual([`CONNECT ${proxiedTarget}`])
    expect(`${JSON.stringify(run.envelope)}${run.stderr}`).not.toContain('wrong-password')
    expect(`${JSON.stringify(run.envelope)}${run.stderr}`).not.toContain('someone')
  })

  it('credentials in the proxy URL (URL-encoded) go to the proxy as Basic and never into a log line', async () => {
    const run = await runCore({ ...trust(), HTTPS_PROXY: guarded.url.replace('http://', `http://automation:${encodeURIComponent('p@ss:w0rd')}@`) }, { authorityHost: proxiedLogin })
    expect(run.envelope, run.stderr).toMatchObject({ ok: true })
    expect(guarded.seen).toMatchObject([{ method: 'CONNECT', target: proxiedTarget, authorized: true }])
    expect(run.stderr).not.toMatch(/p@ss|p%40ss|w0rd/)
  })

  it.skipIf(process.platform !== 'linux')('a CA only the system store holds works through a proxy too: the try with the store opens a second tunnel', async () => {
    const work = mkdtempSync(join(tmpdir(), 'entraauth-proxy-store-'))
    try {
      const run = await runCore({ SSL_CERT_FILE: emulator.caFile, SSL_CERT_DIR: work, HTTPS_PROXY: first.url }, { authorityHost: proxiedLogin })
      expect(run.envelope, run.stderr).toMatchObject({ ok: true })
      expect(targets(first)).toEqual([`CONNECT ${proxiedTarget}`, `CONNECT ${proxiedTarget}`])
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })

  it('a proxy that never answers the CONNECT: ERR_TIMEOUT naming it after the 10 s connect limit, and the core exits', async () => {
    const held: Socket[] = []
    const silent = createTcpServer((socket) => held.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const started = Date.now()
      const run = await runCore({ ...trust() }, { authorityHost: proxiedLogin, proxy: `http://127.0.0.1:${(silent.address() as { port: number }).port}`, timeoutSec: 2 })
      expect(run.envelope.error, run.stderr).toMatchObject({ code: 'ERR_TIMEOUT', message: expect.stringMatching(/The proxy http:\/\/127.0.0.1:\d+ \(-Proxy\) did not answer within 10 s/) })
      // A connection cannot be aborted while it is being made (undici): the connect limit bounds it, as for a direct one.
      expect(Date.now() - started).toBeLessThan(15_000)
    } finally {
      for (const socket of held) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  }, 30_000)

  it('a proxy URL that is not one: ERR_INVALID_REQUEST before any request', async () => {
    emulator.reset()
    const run = await runCore({ ...trust() }, { authorityHost: proxiedLogin, proxy: 'ftp://proxy.example:21' })
    expect(run.envelope.error).toMatchObject({ code: 'ERR_INVALID_REQUEST', message: expect.stringMatching(/-Proxy must be an http/) })
    expect(emulator.requests).toEqual([])
  })

  it('managed identity never goes through a proxy: not -Proxy, ENTRAAUTH_PROXY, HTTPS_PROXY nor the system proxy', async () => {
    const run = await runCore(
      { HTTPS_PROXY: first.url, HTTP_PROXY: first.url, ENTRAAUTH_PROXY: first.url, IDENTITY_ENDPOINT: emulator.managedIdentity.appServiceEndpoint, IDENTITY_HEADER: managedIdentities.identityHeader },
      { flow: 'managedIdentity', tenantId: '', clientId: undefined, clientSecret: undefined, scopes: ['https://management.azure.com'], proxy: first.url, systemProxy: first.url },
    )
    expect(run.envelope, run.stderr).toMatchObject({ ok: true })
    expect(targets(first)).toEqual([])
  })

  describe('finding 8: plain http through configuration', () => {
    let plain: Server
    let plainUrl = ''
    const reached: string[] = []

    beforeAll(async () => {
      plain = createServer((request, response) => {
        reached.push(`${request.method} ${request.url}`)
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] }))
      })
      await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve))
      plainUrl = `http://127.0.0.1:${(plain.address() as { port: number }).port}`
    })
    afterAll(() => new Promise<void>((resolve) => plain.close(() => resolve())))

    it('finding 8: a plain-http loopback authority never goes through HTTP_PROXY (the proxy would see the secret)', async () => {
      reached.length = 0
      const run = await runCore({ HTTP_PROXY: first.url, HTTPS_PROXY: first.url }, { authorityHost: plainUrl })
      expect(run.envelope.error?.code, run.stderr).toBe('ERR_AUTH_FAILED')
      expect(reached).toEqual([`POST /${tenant.id}/oauth2/v2.0/token`])
      expect(targets(first)).toEqual([])
    })

    it('finding 8: a plain-http non-loopback ACTIONS_ID_TOKEN_REQUEST_URL is refused before the runner token is sent', async () => {
      const run = await runCore(
        { ...trust(), HTTP_PROXY: first.url, AZURE_AUTHORITY_HOST: emulator.url, ACTIONS_ID_TOKEN_REQUEST_URL: 'http://runner.emulator.test/_apis/token?api-version=2.0', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-request-token-1234' },
        { flow: 'workloadIdentity', clientSecret: undefined },
      )
      expect(run.envelope.error).toMatchObject({ code: 'ERR_INVALID_REQUEST', message: expect.stringMatching(/ACTIONS_ID_TOKEN_REQUEST_URL uses plain http/) })
      expect(targets(first)).toEqual([])
    })
  })
})
