// Finding 7 (issue 12): hostile files given as a federated token or certificate file get a clear error fast, in
// small memory, from the resident core (--serve) the module runs.

import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync, mkdirSync, openSync, closeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'
import { bundle, startResidentCore } from './residentCore.js'

const tenant = directory.tenants[0]!
const app = tenant.apps[0]!
const certificateApp = tenant.apps.find((candidate) => candidate.name === 'certificate-app')!

/** A core that passes this is stopped: the old code grew to gigabytes on /dev/zero. */
const RSS_KILL_BYTES = 400 * 1024 * 1024
/** Most a refused file may cost the core: Node itself takes about 60 MiB. */
const RSS_BOUND_BYTES = 150 * 1024 * 1024
/** Well below the request's deadline (timeoutSec 10), which the old code ran into on a FIFO. */
const TIME_BOUND_MS = 4000
const KILL_AFTER_MS = 20_000

interface Run {
  envelope: { ok: boolean; error?: { code: string; message: string } } | undefined
  stderr: string
  ms: number
  peakRss: number
  killed: string | undefined
}

function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match === null ? 0 : Number(match[1]) * 1024
  } catch {
    return 0
  }
}

/** Runs one request on a resident core (--serve, as the module runs it), sampling its memory every 50 ms; stops it past the memory or time bound. */
async function runCore(emulator: Emulator, request: Record<string, unknown>): Promise<Run> {
  const started = Date.now()
  const core = startResidentCore({ AZURE_AUTHORITY_HOST: emulator.url, NODE_EXTRA_CA_CERTS: emulator.caFile })
  const child = core.child
  let peakRss = 0
  let killed: string | undefined
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssOf(child.pid!))
    if (peakRss > RSS_KILL_BYTES) {
      killed = `memory above ${RSS_KILL_BYTES} bytes`
      child.kill('SIGKILL')
    } else if (Date.now() - started > KILL_AFTER_MS) {
      killed = `no answer in ${KILL_AFTER_MS} ms`
      child.kill('SIGKILL')
    }
  }, 50)
  try {
    const answer = await core.send({ protocolVersion: 1, logLevel: 'verbose', timeoutSec: 10, ...request }).catch(() => undefined)
    const ms = Date.now() - started
    return { envelope: answer?.envelope, stderr: (answer?.lines ?? []).map((line) => `${line}\n`).join('') + core.stderr(), ms, peakRss, killed }
  } finally {
    clearInterval(sampler)
    child.kill('SIGKILL')
  }
}

describe('finding 7: files are read with limits', () => {
  let emulator: Emulator
  let work = ''
  const files: Record<string, string> = {}
  beforeAll(async () => {
    if (!existsSync(bundle)) throw new Error('module/bin/entraauth.mjs is missing: run "npm run build" first')
    emulator = await startEmulator()
    work = mkdtempSync(join(tmpdir(), 'entraauth-bounded-'))
    files.fifo = join(work, 'fifo')
    execFileSync('mkfifo', [files.fifo])
    files.sparse = join(work, 'sparse-1g')
    closeSync(openSync(files.sparse, 'w'))
    truncateSync(files.sparse, 1024 * 1024 * 1024)
    files.begins = join(work, 'begins.pem')
    writeFileSync(files.begins, '-----BEGIN CERTIFICATE-----\n'.repeat(Math.ceil((4 * 1024 * 1024) / 28)))
    files.notJwt = join(work, 'not-a-token')
    writeFileSync(files.notJwt, 'db_password=correct horse battery staple\n')
    files.linkToNotJwt = join(work, 'link-to-not-a-token')
    symlinkSync(files.notJwt, files.linkToNotJwt)
    files.directory = join(work, 'a-directory')
    mkdirSync(files.directory)
  })
  afterAll(async () => {
    rmSync(work, { recursive: true, force: true })
    await emulator?.close()
  })
  beforeEach(() => emulator.reset())

  const tokenFile = (path: string) => ({ flow: 'workloadIdentity', tenantId: tenant.id, clientId: app.clientId, federatedTokenFile: path })
  const pemFile = (path: string) => ({ flow: 'clientCertificate', tenantId: tenant.id, clientId: certificateApp.clientId, certificatePath: path })

  const cases: Array<[string, () => Record<string, unknown>, RegExp]> = [
    ['a federated token file that is /dev/zero', () => tokenFile('/dev/zero'), /'\/dev\/zero' \(-FederatedTokenFile\) could not be read: it is a character device, not a regular file/],
    ['a federated token file that is a FIFO', () => tokenFile(files.fifo!), /could not be read: it is a FIFO \(named pipe\), not a regular file/],
    ['a federated token file that is a directory', () => tokenFile(files.directory!), /could not be read: it is a directory, not a regular file/],
    ['a federated token file of 1 GB (sparse)', () => tokenFile(files.sparse!), /could not be read: it is larger than 64 KiB/],
    ['a symlink to a file that is not a JWT', () => tokenFile(files.linkToNotJwt!), /does not hold a JWT .*nothing was sent/],
    ['a PEM file that is /dev/zero', () => pemFile('/dev/zero'), /certificate file '\/dev\/zero' could not be read: it is a character device, not a regular file/],
    ['a PEM file that is a FIFO', () => pemFile(files.fifo!), /could not be read: it is a FIFO \(named pipe\), not a regular file/],
    ['a PEM file of 1 GB (sparse)', () => pemFile(files.sparse!), /could not be read: it is larger than 1 MiB/],
    ['a PEM file of 4 MB of BEGIN lines', () => pemFile(files.begins!), /could not be read: it is larger than 1 MiB/],
  ]
  it.each(cases)('finding 7: %s gets a clear error fast, in small memory, and nothing is sent', async (_name, request, message) => {
    const run = await runCore(emulator, request())
    expect(run.killed, run.stderr).toBeUndefined()
    expect(run.envelope?.ok).toBe(false)
    expect(run.envelope?.error?.message).toMatch(message)
    expect(run.envelope?.error?.message).toMatch(/Fix: /)
    expect(run.ms).toBeLessThan(TIME_BOUND_MS)
    expect(run.peakRss).toBeLessThan(RSS_BOUND_BYTES)
    expect(emulator.requests.filter((entry) => entry.path.includes('/token'))).toEqual([])
    expect(JSON.stringify(run.envelope) + run.stderr).not.toContain('correct horse')
  })

  it('finding 7: a token file reached through symlinks (Kubernetes ..data) still works', async () => {
    const real = join(work, '..2026_12_01')
    mkdirSync(real)
    writeFileSync(join(real, 'token'), emulator.mintFederatedToken({ subject: 'system:serviceaccount:automation:runner' }))
    symlinkSync(real, join(work, '..data'))
    symlinkSync(join('..data', 'token'), join(work, 'token'))
    const run = await runCore(emulator, tokenFile(join(work, 'token')))
    expect(run.envelope, run.stderr).toMatchObject({ ok: true })
  })
})
