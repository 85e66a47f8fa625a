// Must show: a loop that outlives several token lifetimes, using only $global:MicrosoftEntraIDHeader, never gets a 401,
// and Entra is asked for a new token only when the one in use is due: within the refresh margin of its expiry, and
// never before half its lifetime (finding 5: tokens that live less than the margin). Each loop has its own emulator;
// they run one after the other (at once, on a loaded machine, each made too few calls): this is the suite's one
// real-time loop of 75 s.

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

interface Loop {
  lifetime: number
  /** Undefined: the module's default, 300 s. */
  margin?: number
  seconds: number
}

function runLoop(
  emulator: Emulator,
  secretFile: string,
  loop: Loop,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && !/^(AZURE_|ENTRAAUTH_|IDENTITY_|MSI_)/.test(name) && !/proxy/i.test(name))
      env[name] = value
  const margin = loop.margin === undefined ? [] : ['-RefreshMarginSec', String(loop.margin)]
  const child = spawn(
    findPwsh(),
    [
      '-NoProfile',
      '-NonInteractive',
      '-File',
      script,
      '-TenantId',
      tenant.id,
      '-ClientId',
      app.clientId,
      '-SecretFile',
      secretFile,
      '-Seconds',
      String(loop.seconds),
      ...margin,
    ],
    {
      env: {
        ...env,
        NODE_EXTRA_CA_CERTS: emulator.caFile,
        SSL_CERT_FILE: emulator.caFile,
        AZURE_AUTHORITY_HOST: emulator.url,
      },
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

/** Runs a loop and checks what holds for every loop: no 401, every call counted, one token per token request. */
async function checkLoop(emulator: Emulator, secretFile: string, loop: Loop): Promise<number[]> {
  const { code, stdout, stderr } = await runLoop(emulator, secretFile, loop)
  expect(code, stderr).toBe(0)
  const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    calls: number
    unauthorized: number
    tokensSeen: number
  }
  const tokenRequests = emulator.requests.filter((entry) => entry.path.endsWith('/oauth2/v2.0/token'))
  const apiCalls = emulator.requests.filter((entry) => entry.path === '/_emulator/api/me')
  // The emulator's API refuses an expired token with 401: none means the loop never held one.
  expect(summary.unauthorized).toBe(0)
  expect(apiCalls.every((entry) => entry.status === 200)).toBe(true)
  expect(apiCalls.length).toBe(summary.calls)
  expect(summary.calls).toBeGreaterThan(100)
  expect(summary.tokensSeen).toBe(tokenRequests.length)
  expect(tokenRequests.every((entry) => entry.status === 200 && entry.grantType === 'client_credentials')).toBe(true)
  return tokenRequests.map((entry) => Date.parse(entry.time))
}

describe('globals that stay valid', { timeout: 180_000 }, () => {
  const short: Loop = { lifetime: 6, margin: 2, seconds: 20 }
  const belowMargin: Loop = { lifetime: 40, seconds: 75 }
  let emulators: { short: Emulator; belowMargin: Emulator }
  let work: string
  let secretFile: string
  beforeAll(async () => {
    const [first, second] = await Promise.all([
      startEmulator({ tokenLifetimeSeconds: short.lifetime }),
      startEmulator({ tokenLifetimeSeconds: belowMargin.lifetime }),
    ])
    emulators = { short: first, belowMargin: second }
    work = mkdtempSync(join(tmpdir(), 'entraauth-live-'))
    secretFile = join(work, 'secret')
    writeFileSync(secretFile, app.secrets[0]!.value)
  })
  afterAll(async () => {
    await Promise.all([emulators?.short.close(), emulators?.belowMargin.close()])
    rmSync(work, { recursive: true, force: true })
  })

  it(`a ${short.seconds} s loop over ${short.lifetime} s tokens gets no 401 and asks Entra only near each expiry`, async () => {
    const times = await checkLoop(emulators.short, secretFile, short)
    // Several lifetimes: one token to start, then one per (lifetime - margin) seconds, and no more.
    const renewEvery = short.lifetime - short.margin!
    expect(times.length).toBeGreaterThanOrEqual(Math.floor(short.seconds / renewEvery))
    expect(times.length).toBeLessThanOrEqual(Math.ceil(short.seconds / renewEvery) + 1)
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual((renewEvery - 1) * 1000)
  })

  it(`finding 5: a ${belowMargin.seconds} s loop over ${belowMargin.lifetime} s tokens (less than the 300 s margin) sends at most 9 token requests and never holds an expired token`, async () => {
    const times = await checkLoop(emulators.belowMargin, secretFile, belowMargin)
    expect(times.length).toBeLessThanOrEqual(9)
    // Renewed at half the lifetime: one token to start, then one per 20 s.
    expect(times.length).toBeGreaterThanOrEqual(Math.floor(belowMargin.seconds / (belowMargin.lifetime / 2)))
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual((belowMargin.lifetime / 2 - 1) * 1000)
  })
})
