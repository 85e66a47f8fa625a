// The win-x64 executable trusts a CA that only the Windows certificate store holds (Root, in wine's registry), with
// no NODE_EXTRA_CA_CERTS: Node 22's tls.getCACertificates('system') reads it, as on a Windows machine.

import { execFileSync } from 'node:child_process'
import { createHash, X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findWine, runnerFor, runWithFiles, wineEnv } from '../../build/sea/runners.mjs'
import { startEmulator, type Emulator } from '../emulator/index.js'
import { fixture } from '../emulator/harness.js'

const executable = fileURLToPath(new URL('../../dist/exe/entraauth-win-x64.exe', import.meta.url))
const runner = runnerFor('win-x64', executable)
const wine = findWine()
const inCi = process.env.CI === 'true'

/** A certificate as Windows keeps it in the registry: the serialized property CERT_CERT_PROP_ID (0x20) holding the DER. */
function registryBlob(der: Buffer): string {
  const length = Buffer.alloc(4)
  length.writeUInt32LE(der.length)
  return Buffer.concat([Buffer.from([0x20, 0, 0, 0, 1, 0, 0, 0]), length, der]).toString('hex')
}

describe.skipIf(runner === undefined && !inCi)('entraauth-win-x64.exe and the Windows certificate store', () => {
  let emulator: Emulator
  let work = ''
  let key = ''

  beforeAll(async () => {
    if (runner === undefined || wine === undefined)
      throw new Error('entraauth-win-x64.exe cannot be run here: install wine64 and run npm run package.')
    emulator = await startEmulator()
    work = mkdtempSync(join(tmpdir(), 'entraauth-winstore-'))
    const der = new X509Certificate(readFileSync(emulator.caFile)).raw
    key = `HKLM\\Software\\Microsoft\\SystemCertificates\\Root\\Certificates\\${createHash('sha1').update(der).digest('hex').toUpperCase()}`
  })
  afterAll(async () => {
    if (wine !== undefined && key !== '')
      execFileSync(wine, ['reg', 'delete', key, '/f'], { env: wineEnv(), stdio: 'ignore' })
    await emulator?.close()
    rmSync(work, { recursive: true, force: true })
  })

  const ask = async () => {
    const input = JSON.stringify({
      protocolVersion: 1,
      flow: 'clientSecret',
      tenantId: fixture.tenantId,
      clientId: fixture.clientId,
      clientSecret: fixture.trickySecret,
      authorityHost: emulator.url,
      timeoutSec: 30,
    })
    const run = await runWithFiles(runner!, [], {
      input,
      workDir: work,
      env: { NODE_EXTRA_CA_CERTS: '', NO_PROXY: '127.0.0.1' },
    })
    return JSON.parse(run.stdout) as { ok: boolean; error?: { code: string; message: string } }
  }

  it('refuses the emulator while its CA is nowhere, naming the Windows store in the fix', async () => {
    const envelope = await ask()
    expect(envelope.error?.code).toBe('ERR_TLS')
    expect(envelope.error?.message).toMatch(/Windows' certificate store \(Trusted Root Certification Authorities\)/)
  }, 120_000)

  it('trusts it once only the Windows Root store holds it', async () => {
    execFileSync(
      wine!,
      [
        'reg',
        'add',
        key,
        '/v',
        'Blob',
        '/t',
        'REG_BINARY',
        '/d',
        registryBlob(new X509Certificate(readFileSync(emulator.caFile)).raw),
        '/f',
      ],
      { env: wineEnv(), stdio: 'ignore' },
    )
    const envelope = await ask()
    expect(envelope, envelope.error?.message).toMatchObject({ ok: true })
  }, 120_000)
})
