// Contract tests of the certificate flows: the BUILT bundle, resident (--serve) as the module runs it, against the emulator.

import { constants, sign } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'
import { createTestCertificate, type TestCertificate } from '../emulator/testCertificates.js'
import { bundle, runResident, type ResidentRun } from './residentCore.js'

const tenant = directory.tenants[0]!
const app = tenant.apps.find((candidate) => candidate.name === 'certificate-app')!

/** One request to a resident core (--serve, as the module runs it): envelope, log lines as stderr, the one-shot exit code. */
function runCore(emulator: Emulator, request: Record<string, unknown>): Promise<ResidentRun> {
  return runResident(
    { AZURE_AUTHORITY_HOST: emulator.url, NODE_EXTRA_CA_CERTS: emulator.caFile },
    { protocolVersion: 1, tenantId: tenant.id, clientId: app.clientId, logLevel: 'debug', ...request },
  )
}

/** Base64 lines of a PEM key: none may show in any output. */
const keyLines = (pem: string): string[] => pem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'))

describe('core bundle with certificates', () => {
  let emulator: Emulator
  let work: string
  let registered: TestCertificate
  beforeAll(async () => {
    if (!existsSync(bundle)) throw new Error('module/bin/entraauth.mjs is missing: run "npm run build" first')
    emulator = await startEmulator()
    registered = createTestCertificate({ name: 'contract client' })
    emulator.registerCertificate({ tenantId: tenant.id, clientId: app.clientId, certificate: registered.pem })
    work = mkdtempSync(join(tmpdir(), 'entraauth-contract-'))
  })
  afterAll(async () => {
    rmSync(work, { recursive: true, force: true })
    await emulator.close()
  })
  beforeEach(() => emulator.reset())

  it('gets a token with DER and a PKCS#8 key from the wrapper; nothing of the key or assertion on stderr', async () => {
    const run = await runCore(emulator, { flow: 'clientCertificate', certificates: [registered.base64], privateKey: registered.keyPem })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(decodeJwt(run.envelope.token.accessToken)).toMatchObject({ appid: app.clientId, appidacr: '2' })
    expect(run.stderr).toMatch(/verbose: certificate 'CN=contract client' \(thumbprint [0-9A-F]{40}\).*signed in the core with RS256/)
    for (const line of keyLines(registered.keyPem)) expect(run.stderr + run.stdout).not.toContain(line)
    expect(run.stderr).not.toMatch(/eyJ[\w-]+\.eyJ/)
    expect(emulator.requests.at(-1)?.assertion).toEqual({ alg: 'RS256', x5t: true, x5tS256: true, x5c: [] })
  })

  it('gets a token from an encrypted PEM file it reads itself, PS256 with the chain', async () => {
    const path = join(work, 'app.pem')
    const encrypted = registered.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pem-pässword' }).toString()
    writeFileSync(path, registered.pem + encrypted)
    const run = await runCore(emulator, { flow: 'clientCertificate', certificatePath: path, certificatePassword: 'pem-pässword', algorithm: 'PS256', sendCertificateChain: true })
    expect(run.exitCode, run.stdout).toBe(0)
    expect(emulator.requests.at(-1)?.assertion).toEqual({ alg: 'PS256', x5t: true, x5tS256: true, x5c: [registered.sha1Hex] })
    expect(run.stderr).not.toContain('pem-pässword')
  })

  it('prepares an assertion (exit 0, no request), then sends the one signed outside', async () => {
    const first = await runCore(emulator, { flow: 'clientCertificatePrepare', certificates: [registered.base64], algorithm: 'PS256' })
    expect(first.exitCode).toBe(0)
    expect(first.envelope).toEqual({ ok: true, unsignedAssertion: { signingInput: expect.stringMatching(/^eyJ[\w-]+\.eyJ[\w-]+$/), algorithm: 'PS256', expiresOn: expect.any(String) } })
    expect(emulator.requests).toEqual([])
    const { signingInput } = first.envelope.unsignedAssertion
    const signature = sign('sha256', Buffer.from(signingInput), { key: registered.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString('base64url')
    const second = await runCore(emulator, { flow: 'clientCertificateSigned', certificates: [registered.base64], clientAssertion: `${signingInput}.${signature}` })
    expect(second.exitCode, second.stdout).toBe(0)
    expect(second.envelope.token.accessToken).toMatch(/^eyJ/)
    expect(second.stderr).not.toContain(signature)
  })

  it('reports an unregistered certificate: AADSTS700027, exit 1, a hint with its thumbprint', async () => {
    const stranger = createTestCertificate({ name: 'contract stranger' })
    const run = await runCore(emulator, { flow: 'clientCertificate', certificates: [stranger.base64], privateKey: stranger.keyPem })
    expect(run.exitCode).toBe(1)
    expect(run.envelope.error).toMatchObject({ code: 'ERR_AUTH_FAILED', status: 401, oauth: { aadsts: 'AADSTS700027' } })
    expect(run.envelope.error.hint).toContain(`thumbprint ${stranger.sha1Hex} is not registered on app ${app.clientId}`)
  })

  it('reports a key that does not match before any request: exit 2', async () => {
    const stranger = createTestCertificate({ name: 'contract stranger key' })
    const run = await runCore(emulator, { flow: 'clientCertificate', certificates: [registered.base64], privateKey: stranger.keyPem })
    expect(run.exitCode).toBe(2)
    expect(run.envelope.error.message).toMatch(/does not belong to the certificate 'CN=contract client'.* Fix: /)
    expect(emulator.requests).toEqual([])
  })
})
