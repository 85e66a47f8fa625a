// Contract tests of the one-shot core (module/bin/entraauth.mjs without --serve: one request on stdin, one envelope on
// stdout, an exit code per outcome), against the emulator. The module runs the resident core (resident.test.ts and the
// other contract tests); this mode stays for diagnosis, and these tests hold its exit codes to the protocol table.

import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'
import { EXIT_CODES } from '../../src/protocol/table.js'

const bundle = fileURLToPath(new URL('../../module/bin/entraauth.mjs', import.meta.url))
const tenant = directory.tenants[0]!
const app = tenant.apps[0]!
const secret = app.secrets[1]!.value

interface CoreRun {
  exitCode: number | null
  stdout: string
  stderr: string
  envelope: any
}

function runCore(emulator: Emulator, request: unknown, env: Record<string, string> = { NODE_EXTRA_CA_CERTS: emulator.caFile }): Promise<CoreRun> {
  const child = spawn(process.execPath, [bundle], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, AZURE_AUTHORITY_HOST: emulator.url, ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  child.stdin.end(typeof request === 'string' ? request : JSON.stringify(request))
  return new Promise((resolve) =>
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr, envelope: stdout === '' ? undefined : JSON.parse(stdout) })),
  )
}

const clientSecretRequest = (overrides: Record<string, unknown> = {}) => ({
  protocolVersion: 1,
  flow: 'clientSecret',
  tenantId: tenant.id,
  clientId: app.clientId,
  clientSecret: secret,
  logLevel: 'debug',
  ...overrides,
})

describe('core bundle', () => {
  let emulator: Emulator
  beforeAll(async () => {
    if (!existsSync(bundle)) throw new Error('module/bin/entraauth.mjs is missing: run "npm run build" first')
    emulator = await startEmulator()
  })
  afterAll(async () => emulator.close())
  beforeEach(() => emulator.reset())

  it('answers a client secret request with one envelope line and exit code 0', async () => {
    const run = await runCore(emulator, clientSecretRequest())
    expect(run.exitCode).toBe(0)
    expect(run.stdout.split('\n')).toEqual([expect.any(String), ''])
    expect(run.envelope).toMatchObject({ ok: true, token: { tokenType: 'Bearer', accessToken: expect.stringMatching(/^eyJ/), claims: { aud: 'https://graph.microsoft.com', roles: ['User.Read.All', 'Group.Read.All'] } } })
    const response = await fetchMe(emulator, run.envelope.token.accessToken)
    expect(response).toMatchObject({ appId: app.clientId, tenantId: tenant.id })
  })

  it('keeps the secret and the token out of stderr at debug level', async () => {
    const run = await runCore(emulator, clientSecretRequest())
    expect(run.stderr).toContain('[EntraAuth] verbose: POST ')
    expect(run.stderr).not.toContain(secret)
    expect(run.stderr).not.toContain(encodeURIComponent(secret))
    expect(run.stderr).not.toContain(run.envelope.token.accessToken)
  })

  it('reports a wrong secret with AADSTS7000215, exit code 1, and no secret in the envelope', async () => {
    const wrong = `${secret}-wrong`
    const run = await runCore(emulator, clientSecretRequest({ clientSecret: wrong }))
    expect(run.exitCode).toBe(1)
    expect(run.envelope.error).toMatchObject({ code: 'ERR_AUTH_FAILED', status: 401, oauth: { aadsts: 'AADSTS7000215', error: 'invalid_client' } })
    expect(run.envelope.error.message).toMatch(/AADSTS7000215.*Fix: /)
    expect(run.stdout + run.stderr).not.toContain(wrong)
  })

  it('refuses bad input with exit code 2 and sends nothing', async () => {
    const run = await runCore(emulator, clientSecretRequest({ tenantId: 'not a tenant' }))
    expect(run.exitCode).toBe(2)
    expect(run.envelope.error.code).toBe('ERR_INVALID_REQUEST')
    expect(emulator.requests).toEqual([])
  })

  it('exits with code 3 (ERR_CREDENTIAL_UNAVAILABLE) when the flow cannot run here, as EXIT_CODES says', async () => {
    const run = await runCore(emulator, { protocolVersion: 1, flow: 'workloadIdentity', tenantId: tenant.id, clientId: app.clientId })
    expect(run.envelope.error).toMatchObject({ code: 'ERR_CREDENTIAL_UNAVAILABLE' })
    expect(run.exitCode).toBe(3)
    expect(run.exitCode).toBe(EXIT_CODES.ERR_CREDENTIAL_UNAVAILABLE)
  })

  it('finding 13: resolveTarget answers the canonical login host and scopes, with no request sent', async () => {
    const run = await runCore(emulator, { protocolVersion: 1, flow: 'resolveTarget', tenantId: '', scopes: ['https://graph.microsoft.com'] })
    expect(run.exitCode).toBe(0)
    expect(run.envelope).toEqual({ ok: true, target: { authorityHost: emulator.url.toLowerCase(), authority: emulator.url.toLowerCase(), tenantId: '', clientId: '', scopes: ['https://graph.microsoft.com/.default'] } })
    expect(emulator.requests).toEqual([])
  })

  it('refuses a request that is not JSON with ERR_PROTOCOL', async () => {
    const run = await runCore(emulator, '{"protocolVersion":1,')
    expect(run.exitCode).toBe(2)
    expect(run.envelope.error.code).toBe('ERR_PROTOCOL')
  })

  it('verifies TLS: without the emulator CA in NODE_EXTRA_CA_CERTS the request fails with ERR_TLS', async () => {
    const run = await runCore(emulator, clientSecretRequest(), {})
    expect(run.exitCode).toBe(4)
    expect(run.envelope.error).toMatchObject({ code: 'ERR_TLS', message: expect.stringMatching(/not trusted.*NODE_EXTRA_CA_CERTS/) })
  })

  it('redeems a refresh token with the client id', async () => {
    const publicApp = tenant.apps[1]!
    const refreshToken = emulator.mintRefreshToken({ tenantId: tenant.id, clientId: publicApp.clientId, scopes: ['https://graph.microsoft.com/.default', 'offline_access'] })
    const run = await runCore(emulator, { protocolVersion: 1, flow: 'refreshToken', tenantId: tenant.id, clientId: publicApp.clientId, refreshToken })
    expect(run.envelope).toMatchObject({ ok: true, token: { refreshToken: expect.any(String) } })
    expect(run.envelope.token.refreshToken).not.toBe(refreshToken)
  })
})

async function fetchMe(emulator: Emulator, accessToken: string): Promise<unknown> {
  const dispatcher = new Agent({ connect: { ca: emulator.caPem } })
  try {
    const response = await request(`${emulator.url}/_emulator/api/me`, { dispatcher, headers: { authorization: `Bearer ${accessToken}` } })
    return response.body.json()
  } finally {
    await dispatcher.close()
  }
}
