// Contract tests of the resident core (--serve): id-tagged lines each way, one core for many requests, exit at stdin EOF.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'

const bundle = fileURLToPath(new URL('../../module/bin/entraauth.mjs', import.meta.url))
const tenant = directory.tenants[0]!
const app = tenant.apps[0]!
const secret = app.secrets[1]!.value

interface Resident {
  child: ChildProcessWithoutNullStreams
  messages: any[]
  stderr: () => string
  exited: Promise<number | null>
  next: (id: number | null) => Promise<any>
}

function startResident(emulator: Emulator): Resident {
  const child = spawn(process.execPath, [bundle, '--serve'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, AZURE_AUTHORITY_HOST: emulator.url, NODE_EXTRA_CA_CERTS: emulator.caFile },
  })
  const messages: any[] = []
  const waiting: (() => void)[] = []
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  createInterface({ input: child.stdout }).on('line', (line) => {
    messages.push(JSON.parse(line))
    for (const wake of waiting.splice(0)) wake()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const next = async (id: number | null) => {
    for (;;) {
      const envelope = messages.find((message) => message.id === id && message.envelope !== undefined)
      if (envelope !== undefined) return envelope.envelope
      await new Promise<void>((resolve) => waiting.push(resolve))
    }
  }
  return { child, messages, stderr: () => stderr, exited, next }
}

const request = (id: number, overrides: Record<string, unknown> = {}) =>
  `${JSON.stringify({ id, protocolVersion: 1, flow: 'clientSecret', tenantId: tenant.id, clientId: app.clientId, clientSecret: secret, logLevel: 'debug', ...overrides })}\n`

describe('resident core', () => {
  let emulator: Emulator
  let core: Resident | undefined
  beforeAll(async () => {
    if (!existsSync(bundle)) throw new Error('module/bin/entraauth.mjs is missing: run "npm run build" first')
    emulator = await startEmulator()
  })
  afterAll(async () => emulator.close())
  beforeEach(() => emulator.reset())
  afterEach(() => {
    core?.child.kill('SIGKILL')
    core = undefined
  })

  it('answers several requests in one process, each message tagged with its id, the envelope last', async () => {
    core = startResident(emulator)
    core.child.stdin.write(request(1))
    const first = await core.next(1)
    core.child.stdin.write(request(2, { clientSecret: 'wrong' }))
    const second = await core.next(2)
    expect(first.ok).toBe(true)
    expect(first.token.tokenType).toBe('Bearer')
    expect(second).toMatchObject({ ok: false, error: { code: 'ERR_AUTH_FAILED' } })
    for (const id of [1, 2]) {
      const own = core.messages.filter((message) => message.id === id)
      expect(own.length).toBeGreaterThan(1)
      expect(own.at(-1)!.envelope).toBeDefined()
      for (const message of own.slice(0, -1)) expect(message.line).toMatch(/^\[EntraAuth\] (prompt|warning|info|verbose|debug): /)
    }
    expect(core.messages.map((message) => Object.keys(message).sort().join())).not.toContain('id')
    expect(JSON.stringify(core.messages.filter((message) => message.line !== undefined))).not.toContain(secret)
    expect(core.stderr()).toBe('')
    expect(core.child.exitCode).toBeNull()
  })

  it('answers a line that is not a request with id null and ERR_PROTOCOL, and keeps serving', async () => {
    core = startResident(emulator)
    core.child.stdin.write('not json\n')
    expect(await core.next(null)).toMatchObject({ ok: false, error: { code: 'ERR_PROTOCOL' } })
    core.child.stdin.write(request(7, { protocolVersion: 99 }))
    expect(await core.next(7)).toMatchObject({ ok: false, error: { code: 'ERR_PROTOCOL' } })
    core.child.stdin.write(request(8))
    expect((await core.next(8)).ok).toBe(true)
  })

  it('exits with code 0 when stdin ends, even while a request still waits for the network', async () => {
    core = startResident(emulator)
    const started = Date.now()
    core.child.stdin.write(request(3, { authorityHost: 'https://127.0.0.1:9', timeoutSec: 60 }))
    await new Promise((resolve) => setTimeout(resolve, 200))
    core.child.stdin.end()
    expect(await core.exited).toBe(0)
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('ignores SIGINT (the module stops the request it waits for) and still exits at EOF', async () => {
    core = startResident(emulator)
    core.child.stdin.write(request(4))
    await core.next(4)
    core.child.kill('SIGINT')
    core.child.stdin.write(request(5))
    expect((await core.next(5)).ok).toBe(true)
    core.child.stdin.end()
    expect(await core.exited).toBe(0)
  })
})
