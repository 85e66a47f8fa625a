// Contract tests of the resident core (--serve): id-tagged lines each way, one core for many requests, exit at stdin
// EOF and after its idle limit, byte order marks ignored, every line answered, redaction on values.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
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
  /** Every stdout line as it came, before parsing. */
  raw: string[]
}

function startResident(emulator: Emulator, args: string[] = []): Resident {
  const child = spawn(process.execPath, [bundle, '--serve', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, AZURE_AUTHORITY_HOST: emulator.url, NODE_EXTRA_CA_CERTS: emulator.caFile },
  })
  const messages: any[] = []
  const raw: string[] = []
  const waiting: (() => void)[] = []
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  createInterface({ input: child.stdout }).on('line', (line) => {
    raw.push(line)
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
  return { child, messages, stderr: () => stderr, exited, next, raw }
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

  it('answers several requests in one process, each message tagged with its id: accepted first, the envelope last', async () => {
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
      expect(own[0]).toEqual({ id, accepted: true })
      expect(own.at(-1)!.envelope).toBeDefined()
      for (const message of own.slice(1, -1))
        expect(message.line).toMatch(/^\[EntraAuth\] (prompt|warning|info|verbose|debug): /)
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

  it('answers a request whose line starts with U+FEFF (the .NET Framework preamble), on the first line and on later ones', async () => {
    core = startResident(emulator)
    core.child.stdin.write(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(request(1))]))
    expect((await core.next(1)).ok).toBe(true)
    core.child.stdin.write(`\uFEFF${request(2)}`)
    expect((await core.next(2)).ok).toBe(true)
    expect(core.stderr()).toBe('')
  })

  it('answers a UTF-16 line with ERR_PROTOCOL that says so, by its id', async () => {
    core = startResident(emulator)
    const line = request(3).trimEnd()
    core.child.stdin.write(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(line, 'utf16le'), Buffer.from('\n')]))
    const envelope = await core.next(3)
    expect(envelope).toMatchObject({
      ok: false,
      error: { code: 'ERR_PROTOCOL', message: expect.stringContaining('UTF-16') },
    })
    expect(envelope.error.message).not.toContain(secret)
    core.child.stdin.write(request(4))
    expect((await core.next(4)).ok).toBe(true)
  })

  it('answers a broken line that starts with {"id":n by that id, at once', async () => {
    core = startResident(emulator)
    core.child.stdin.write('{"id":5,"protocolVersion":1,"flow":\n')
    expect(await core.next(5)).toMatchObject({
      ok: false,
      error: { code: 'ERR_PROTOCOL', message: expect.stringContaining('Request line 5') },
    })
  })

  it('exits with code 0 after --idle-sec without a request, and not while a request runs longer than that', async () => {
    core = startResident(emulator, ['--idle-sec', '1'])
    emulator.injectFaults({ clientId: app.clientId, responses: [{ kind: 'delay', ms: 2000 }] })
    const started = Date.now()
    core.child.stdin.write(request(6))
    expect((await core.next(6)).ok).toBe(true)
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000)
    const answered = Date.now()
    expect(await core.exited).toBe(0)
    expect(Date.now() - answered).toBeGreaterThanOrEqual(900)
    expect(Date.now() - answered).toBeLessThan(5000)
  })

  it('refuses an --idle-sec that is not whole seconds from 1 to 86400 with exit code 2', async () => {
    core = startResident(emulator, ['--idle-sec', '0'])
    expect(await core.exited).toBe(2)
    expect(core.stderr()).toContain('--idle-sec takes whole seconds from 1 to 86400')
  })

  describe('finding 3: redaction on values, before they become JSON', () => {
    let hostile: Server
    let hostileUrl: string
    beforeAll(async () => {
      // A token endpoint that echoes the client secret it was sent in its error description.
      hostile = createServer((incoming, response) => {
        let body = ''
        incoming.on('data', (chunk) => (body += chunk))
        incoming.on('end', () => {
          const echoed = new URLSearchParams(body).get('client_secret') ?? ''
          response.writeHead(401, { 'content-type': 'application/json' })
          response.end(
            JSON.stringify({
              error: 'invalid_client',
              error_description: `AADSTS7000215: Invalid client secret provided: ${echoed}. Trace ID: 1`,
              error_codes: [7000215],
            }),
          )
        })
      })
      await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve))
      hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`
    })
    afterAll(async () => new Promise<void>((resolve) => hostile.close(() => resolve())))

    const secrets: [string, string][] = [
      ['a double quote', 'quote"secret-0123'],
      ['a backslash', 'back\\slash-secret-0123'],
      ['a tab', 'tab\tsecret-0123'],
      ['CR/LF (lines of 16 characters or more are secrets of their own)', 'crlf-secret-0123456\r\nsecond-line-0123456'],
      ['$()', '$(Get-Secret)-0123'],
      ['10 KB with a quote and a backslash', `${'k'.repeat(5120)}"\\${'q'.repeat(5118)}`],
    ]
    it.each(secrets)(
      'a secret with %s echoed by the server is removed from every message, and the core keeps serving',
      async (_, hostileSecret) => {
        core = startResident(emulator)
        core.child.stdin.write(
          request(1, { clientSecret: hostileSecret, authorityHost: hostileUrl, tenantId: 'contoso.onmicrosoft.com' }),
        )
        const envelope = await core.next(1)
        expect(envelope).toMatchObject({
          ok: false,
          error: { code: 'ERR_AUTH_FAILED', message: expect.stringContaining('REDACTED') },
        })
        // The whole secret becomes REDACTED; a description longer than the sanitiser shows is cut after it.
        expect(envelope.error.oauth.errorDescription).toMatch(
          /Invalid client secret provided: REDACTED(\.|… \(\d+ more characters\))/,
        )
        const output = core.raw.join('\n')
        for (const form of [
          hostileSecret,
          JSON.stringify(hostileSecret).slice(1, -1),
          encodeURIComponent(hostileSecret),
        ])
          expect(output).not.toContain(form)
        for (const part of hostileSecret.split(/\r?\n/)) expect(JSON.stringify(core.messages)).not.toContain(part)
        core.child.stdin.write(request(2))
        expect((await core.next(2)).ok).toBe(true)
        expect(core.child.exitCode).toBeNull()
      },
    )

    it('a local input that looks like the start of a PEM key (-TenantId "-----BEGIN PRIVATE KEY-----") gets its error and does not crash the core', async () => {
      core = startResident(emulator)
      core.child.stdin.write(request(1, { tenantId: '-----BEGIN PRIVATE KEY-----' }))
      expect(await core.next(1)).toMatchObject({ ok: false, error: { code: 'ERR_INVALID_REQUEST' } })
      core.child.stdin.write(request(2))
      expect((await core.next(2)).ok).toBe(true)
      expect(core.child.exitCode).toBeNull()
      expect(core.stderr()).toBe('')
    })
  })
})
