// Managed identity and workload identity through the built core, against the emulator's endpoints.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import federation from '../fixtures/federation.json' with { type: 'json' }
import managedIdentities from '../fixtures/managedIdentities.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'
import { runResident, type ResidentRun } from './residentCore.js'

const user = managedIdentities.userAssigned[0]!
const app = directory.tenants[0]!.apps[0]!

/** One request to a resident core (--serve, as the module runs it): envelope, log lines as stderr, the one-shot exit code. */
function runCore(request: Record<string, unknown>, env: Record<string, string>): Promise<ResidentRun> {
  return runResident(env, { protocolVersion: 1, tenantId: '', logLevel: 'verbose', ...request })
}

describe('managed identity through the core', () => {
  let emulator: Emulator
  let proxy: Server
  let blackhole: TcpServer
  const proxied: string[] = []
  const held: Socket[] = []
  let proxyUrl = ''
  let blackholeUrl = ''
  let work = ''

  beforeAll(async () => {
    emulator = await startEmulator()
    proxy = createHttpServer((request, response) => {
      proxied.push(`${request.method} ${request.url}`)
      response.writeHead(502).end()
    })
    proxy.on('connect', (request, socket) => {
      proxied.push(`CONNECT ${request.url}`)
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
    })
    blackhole = createTcpServer((socket) => held.push(socket))
    await Promise.all([new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve)), new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve))])
    proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`
    blackholeUrl = `http://127.0.0.1:${(blackhole.address() as { port: number }).port}`
    work = mkdtempSync(join(tmpdir(), 'entraauth-mi-'))
  })

  afterAll(async () => {
    for (const socket of held) socket.destroy()
    proxy.closeAllConnections()
    await Promise.all([new Promise((resolve) => proxy.close(resolve)), new Promise((resolve) => blackhole.close(resolve)), emulator.close()])
    rmSync(work, { recursive: true, force: true })
  })

  /** Every test runs with a proxy that would answer 502: managed identity requests must never go through it. */
  const withProxy = (env: Record<string, string>) => ({ HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, ...env })

  it.each([
    ['App Service, system-assigned', () => ({ IDENTITY_ENDPOINT: emulator.managedIdentity.appServiceEndpoint, IDENTITY_HEADER: managedIdentities.identityHeader }), {}, managedIdentities.systemAssigned.clientId],
    ['App Service, user-assigned by client id', () => ({ IDENTITY_ENDPOINT: emulator.managedIdentity.appServiceEndpoint, IDENTITY_HEADER: managedIdentities.identityHeader }), { clientId: user.clientId }, user.clientId],
    ['App Service, user-assigned by object id', () => ({ IDENTITY_ENDPOINT: emulator.managedIdentity.appServiceEndpoint, IDENTITY_HEADER: managedIdentities.identityHeader }), { managedIdentityObjectId: user.objectId }, user.clientId],
    ['IMDS, system-assigned', () => ({ AZURE_POD_IDENTITY_AUTHORITY_HOST: emulator.managedIdentity.url }), {}, managedIdentities.systemAssigned.clientId],
    ['IMDS, user-assigned by resource id', () => ({ AZURE_POD_IDENTITY_AUTHORITY_HOST: emulator.managedIdentity.url }), { managedIdentityResourceId: user.resourceId }, user.clientId],
    ['Azure Arc', () => ({ IDENTITY_ENDPOINT: emulator.managedIdentity.arcEndpoint, IMDS_ENDPOINT: emulator.managedIdentity.url }), {}, managedIdentities.systemAssigned.clientId],
    ['Cloud Shell', () => ({ MSI_ENDPOINT: emulator.managedIdentity.cloudShellEndpoint }), {}, managedIdentities.systemAssigned.clientId],
    ['Azure Machine Learning', () => ({ MSI_ENDPOINT: emulator.managedIdentity.machineLearningEndpoint, MSI_SECRET: managedIdentities.machineLearningSecret }), { clientId: user.clientId }, user.clientId],
    [
      'Service Fabric',
      () => ({ IDENTITY_ENDPOINT: emulator.managedIdentity.serviceFabricEndpoint, IDENTITY_HEADER: managedIdentities.serviceFabricSecret, IDENTITY_SERVER_THUMBPRINT: emulator.managedIdentity.serviceFabricThumbprint }),
      {},
      managedIdentities.systemAssigned.clientId,
    ],
  ])('%s', async (_, env, request, appid) => {
    proxied.length = 0
    const run = await runCore({ flow: 'managedIdentity', scopes: ['https://management.azure.com'], ...request }, withProxy(env()))
    expect(run.envelope, run.stderr).toMatchObject({ ok: true, token: { claims: { appid, aud: 'https://management.azure.com' } } })
    expect(proxied).toEqual([])
    expect(run.stderr).not.toContain(managedIdentities.identityHeader)
  })

  it('Service Fabric with a wrong thumbprint: ERR_TLS, nothing sent', async () => {
    const run = await runCore(
      { flow: 'managedIdentity' },
      { IDENTITY_ENDPOINT: emulator.managedIdentity.serviceFabricEndpoint, IDENTITY_HEADER: managedIdentities.serviceFabricSecret, IDENTITY_SERVER_THUMBPRINT: '00'.repeat(20) },
    )
    expect(run.envelope.error).toMatchObject({ code: 'ERR_TLS', message: expect.stringMatching(/IDENTITY_SERVER_THUMBPRINT/) })
  })

  it('no source at all: the error comes at -TimeoutSec and lists what was checked', async () => {
    const run = await runCore({ flow: 'managedIdentity', timeoutSec: 2 }, { AZURE_POD_IDENTITY_AUTHORITY_HOST: blackholeUrl })
    expect(run.ms).toBeGreaterThanOrEqual(1900)
    expect(run.ms).toBeLessThan(4000)
    expect(run.exitCode).toBe(3)
    expect(run.envelope.error?.code).toBe('ERR_CREDENTIAL_UNAVAILABLE')
    for (const fact of ['Service Fabric', 'App Service', 'Cloud Shell', 'Azure Arc', `IMDS at ${blackholeUrl}`, 'no answer within 2 s']) expect(run.envelope.error?.message).toContain(fact)
  })

  it('finding 11: an IMDS that answers after 2.5 s still gives the token (no 1 s probe for an explicit managed identity)', async () => {
    emulator.reset()
    emulator.injectFaults({ path: 'managedIdentity', responses: [{ kind: 'delay', ms: 2500 }] })
    const run = await runCore({ flow: 'managedIdentity', scopes: ['https://management.azure.com'] }, { AZURE_POD_IDENTITY_AUTHORITY_HOST: emulator.managedIdentity.url })
    expect(run.envelope, run.stderr).toMatchObject({ ok: true, token: { claims: { appid: managedIdentities.systemAssigned.clientId } } })
    expect(run.ms).toBeGreaterThanOrEqual(2500)
  })

  it('a user-assigned identity the source cannot use: refused before any request', async () => {
    emulator.reset()
    const run = await runCore({ flow: 'managedIdentity', clientId: user.clientId }, { MSI_ENDPOINT: emulator.managedIdentity.cloudShellEndpoint })
    expect(run.envelope.error).toMatchObject({ code: 'ERR_INVALID_REQUEST', message: expect.stringMatching(/Cloud Shell cannot use/) })
    expect(emulator.requests).toEqual([])
  })

  describe('workload identity', () => {
    const kubernetes = { subject: 'system:serviceaccount:automation:runner' }
    const trust = () => ({ NODE_EXTRA_CA_CERTS: emulator.caFile, AZURE_AUTHORITY_HOST: emulator.url })

    it('a federated token file named by AZURE_FEDERATED_TOKEN_FILE, AZURE_TENANT_ID and AZURE_CLIENT_ID', async () => {
      const file = join(work, 'token')
      writeFileSync(file, emulator.mintFederatedToken(kubernetes))
      const run = await runCore({ flow: 'workloadIdentity' }, { ...trust(), AZURE_FEDERATED_TOKEN_FILE: file, AZURE_TENANT_ID: directory.tenants[0]!.id, AZURE_CLIENT_ID: app.clientId })
      expect(run.envelope, run.stderr).toMatchObject({ ok: true, token: { claims: { appid: app.clientId } } })
    })

    it('-ManagedIdentity exchanges the workload identity token when those variables are set, as @azure/identity does', async () => {
      const file = join(work, 'token2')
      writeFileSync(file, emulator.mintFederatedToken(kubernetes))
      const run = await runCore({ flow: 'managedIdentity' }, { ...trust(), AZURE_FEDERATED_TOKEN_FILE: file, AZURE_TENANT_ID: directory.tenants[0]!.id, AZURE_CLIENT_ID: app.clientId })
      expect(run.envelope.ok).toBe(true)
      expect(run.stderr).toContain('workload identity token is exchanged')
    })

    it('the GitHub Actions variables', async () => {
      const run = await runCore(
        { flow: 'workloadIdentity', tenantId: directory.tenants[0]!.id, clientId: app.clientId },
        { ...trust(), ACTIONS_ID_TOKEN_REQUEST_URL: `${emulator.url}/_emulator/github/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: federation.githubRequestToken },
      )
      expect(run.envelope, run.stderr).toMatchObject({ ok: true })
      expect(run.stderr).not.toContain(federation.githubRequestToken)
    })

    it('a client assertion given directly, and a subject the app does not trust', async () => {
      const request = { flow: 'workloadIdentity', tenantId: directory.tenants[0]!.id, clientId: app.clientId }
      expect((await runCore({ ...request, clientAssertion: emulator.mintFederatedToken(kubernetes) }, trust())).envelope.ok).toBe(true)
      const refused = await runCore({ ...request, clientAssertion: emulator.mintFederatedToken({ subject: 'system:serviceaccount:other:x' }) }, trust())
      expect(refused.envelope.error).toMatchObject({ code: 'ERR_AUTH_FAILED', message: expect.stringMatching(/AADSTS700213.*Fix: .*subject/) })
    })

    it('nothing to exchange: ERR_CREDENTIAL_UNAVAILABLE with what was checked', async () => {
      const run = await runCore({ flow: 'workloadIdentity', tenantId: directory.tenants[0]!.id, clientId: app.clientId }, trust())
      expect(run.envelope.error).toMatchObject({ code: 'ERR_CREDENTIAL_UNAVAILABLE', message: expect.stringMatching(/AZURE_FEDERATED_TOKEN_FILE: not set.*GitHub Actions/) })
    })
  })
})
