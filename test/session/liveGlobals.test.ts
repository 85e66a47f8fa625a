// Must show: a loop that outlives several token lifetimes, using only $global:MicrosoftEntraIDHeader, never gets a 401,
// and Entra is asked for a new token only when the one in use is within the refresh margin of its expiry.

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findPwsh } from '../../build/tools.mjs'
import directory from '../fixtures/directory.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'

const tenant = directory.tenants[0]!
const app = tenant.apps.find((candidate) => candidate.name === 'automation')!
const script = fileURLToPath(new URL('./Invoke-LiveGlobalsLoop.ps1', import.meta.url))
const LIFETIME = 6
const MARGIN = 2
const LOOP_SECONDS = 20

function runLoop(emulator: Emulator, secretFile: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !/^(AZURE_|ENTRAAUTH_|IDENTITY_|MSI_)/.test(name) && !/proxy/i.test(name)) env[name] = value
  const child = spawn(findPwsh(), ['-NoProfile', '-NonInteractive', '-File', script, '-TenantId', tenant.id, '-ClientId', app.clientId, '-SecretFile', secretFile, '-Seconds', String(LOOP_SECONDS), '-RefreshMarginSec', String(MARGIN)], {
    env: { ...env, NODE_EXTRA_CA_CERTS: emulator.caFile, SSL_CERT_FILE: emulator.caFile, AZURE_AUTHORITY_HOST: emulator.url },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

describe('globals that stay valid', { timeout: 90_000 }, () => {
  let emulator: Emulator
  let work: string
  beforeAll(async () => {
    emulator = await startEmulator({ tokenLifetimeSeconds: LIFETIME })
    work = mkdtempSync(join(tmpdir(), 'entraauth-live-'))
  })
  afterAll(async () => {
    await emulator?.close()
    rmSync(work, { recursive: true, force: true })
  })

  it(`a ${LOOP_SECONDS} s loop over ${LIFETIME} s tokens gets no 401 and asks Entra only near each expiry`, async () => {
    const secretFile = join(work, 'secret')
    writeFileSync(secretFile, app.secrets[0]!.value)
    const { code, stdout, stderr } = await runLoop(emulator, secretFile)
    expect(code, stderr).toBe(0)
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { calls: number; unauthorized: number; tokensSeen: number }
    const tokenRequests = emulator.requests.filter((entry) => entry.path.endsWith('/oauth2/v2.0/token'))
    const apiCalls = emulator.requests.filter((entry) => entry.path === '/_emulator/api/me')
    expect(summary.unauthorized).toBe(0)
    expect(apiCalls.every((entry) => entry.status === 200)).toBe(true)
    expect(apiCalls.length).toBe(summary.calls)
    expect(summary.calls).toBeGreaterThan(100)
    // Several lifetimes: one token to start, then one per (lifetime - margin) seconds, and no more.
    const renewEvery = LIFETIME - MARGIN
    expect(tokenRequests.length).toBeGreaterThanOrEqual(Math.floor(LOOP_SECONDS / renewEvery))
    expect(tokenRequests.length).toBeLessThanOrEqual(Math.ceil(LOOP_SECONDS / renewEvery) + 1)
    expect(summary.tokensSeen).toBe(tokenRequests.length)
    const times = tokenRequests.map((entry) => Date.parse(entry.time))
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual((renewEvery - 1) * 1000)
    expect(tokenRequests.every((entry) => entry.status === 200 && entry.grantType === 'client_credentials')).toBe(true)
  })
})
