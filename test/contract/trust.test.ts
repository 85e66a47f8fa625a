// TLS trust through the built core: always verified (NODE_TLS_REJECT_UNAUTHORIZED=0 changes nothing), and a CA that
// only the system store holds (SSL_CERT_FILE / SSL_CERT_DIR on Linux) is trusted without NODE_EXTRA_CA_CERTS.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, type Server } from 'node:tls'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'
import { createTlsMaterial, type TlsMaterial } from '../emulator/tls.js'
import pins from '../../build/sea/node-binaries.json' with { type: 'json' }

const root = fileURLToPath(new URL('../../', import.meta.url))
const bundle = join(root, 'module/bin/entraauth.mjs')
const tenant = directory.tenants[0]!
const app = tenant.apps[0]!
const secret = app.secrets[0]!.value
const inCi = process.env.CI === 'true'

/** The ways the core runs here: the system node with the bundle, the executables' pinned Node with it, the linux-x64 executable. */
const pinnedNode = join(root, '.cache/node', pins.version, 'linux-x64', pins.targets['linux-x64'].binary)
const executable = join(root, 'dist/exe/entraauth-linux-x64')
const runtimes = [
  { name: `system node ${process.version} + bundle`, command: process.execPath, args: [bundle], present: true },
  {
    name: `pinned Node ${pins.version} + bundle`,
    command: pinnedNode,
    args: [bundle],
    present: process.platform === 'linux' && process.arch === 'x64' && existsSync(pinnedNode),
  },
  {
    name: 'linux-x64 executable',
    command: executable,
    args: [],
    present: process.platform === 'linux' && process.arch === 'x64' && existsSync(executable),
  },
]

interface Run {
  exitCode: number | null
  envelope: { ok: boolean; error?: { code: string; message: string; hint?: string } }
  stderr: string
}

function runCore(
  command: string,
  args: string[],
  env: Record<string, string>,
  fields: Record<string, unknown>,
): Promise<Run> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  child.stdin.end(
    JSON.stringify({
      protocolVersion: 1,
      flow: 'clientSecret',
      tenantId: tenant.id,
      clientId: app.clientId,
      clientSecret: secret,
      timeoutSec: 20,
      ...fields,
    }),
  )
  return new Promise((resolve) =>
    child.on('close', (exitCode) => resolve({ exitCode, envelope: JSON.parse(stdout), stderr })),
  )
}

describe('finding 1: NODE_TLS_REJECT_UNAUTHORIZED=0', () => {
  let material: TlsMaterial
  let server: Server
  let url = ''
  let handshakes = 0
  let bytesAfterHandshake = 0

  beforeAll(async () => {
    // A loopback TLS server whose certificate nothing trusts; it counts every byte that arrives once a handshake is done.
    material = await createTlsMaterial()
    server = createServer({ key: material.key, cert: material.cert }, (socket) => {
      handshakes++
      // Answers whatever arrives, so a client that does not verify fails fast on the answer instead of waiting.
      socket.on('data', (chunk: Buffer) => {
        bytesAfterHandshake += chunk.length
        socket.end(
          'HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: 3\r\nconnection: close\r\n\r\nbad',
        )
      })
      socket.on('error', () => {})
    })
    server.on('tlsClientError', () => {})
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `https://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
    rmSync(material.dir, { recursive: true, force: true })
  })

  describe.each(runtimes)('$name', ({ command, args, present }) => {
    it.skipIf(!present && !inCi)(
      'finding 1: NODE_TLS_REJECT_UNAUTHORIZED=0 does not turn verification off: the untrusted server receives nothing',
      async () => {
        if (!present) throw new Error(`${command} is missing: run npm run package first.`)
        bytesAfterHandshake = 0
        const run = await runCore(command, args, { NODE_TLS_REJECT_UNAUTHORIZED: '0' }, { authorityHost: url })
        expect(bytesAfterHandshake).toBe(0)
        expect(run.envelope.error?.code, run.stderr).toBe('ERR_TLS')
        expect(run.envelope.error?.hint).toMatch(
          /TLS verification is never turned off \(NODE_TLS_REJECT_UNAUTHORIZED is ignored\)/,
        )
        expect(run.envelope.error?.hint).toMatch(/system store.*NODE_EXTRA_CA_CERTS/)
        expect(run.stderr).toMatch(
          /\[EntraAuth\] warning: NODE_TLS_REJECT_UNAUTHORIZED=0 is set in the environment; EntraAuth ignores it/,
        )
        expect(`${run.stderr}${JSON.stringify(run.envelope)}`).not.toContain(secret)
      },
    )
  })

  it('counts what arrives: a client that does not verify would have been seen (the check can fail)', async () => {
    bytesAfterHandshake = 0
    const { connect } = await import('node:tls')
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: Number(new URL(url).port), rejectUnauthorized: false }, () =>
        socket.end('POST / HTTP/1.1\r\n\r\n'),
      )
      socket.resume()
      socket.on('close', () => resolve())
      socket.on('error', reject)
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(bytesAfterHandshake).toBeGreaterThan(0)
    expect(handshakes).toBeGreaterThan(0)
  })
})

describe('the system certificate store', () => {
  let emulator: Emulator
  let work = ''
  let emptyDir = ''
  let emptyFile = ''

  beforeAll(async () => {
    emulator = await startEmulator()
    work = mkdtempSync(join(tmpdir(), 'entraauth-trust-'))
    emptyDir = join(work, 'certs')
    emptyFile = join(work, 'none.pem')
    writeFileSync(emptyFile, '')
    const { mkdirSync } = await import('node:fs')
    mkdirSync(emptyDir)
  })
  afterAll(async () => {
    await emulator.close()
    rmSync(work, { recursive: true, force: true })
  })

  describe.each(runtimes)('$name', ({ command, args, present }) => {
    const skip = process.platform !== 'linux' || (!present && !inCi)
    const needs = () => {
      if (!present) throw new Error(`${command} is missing: run npm run package first.`)
    }

    it.skipIf(skip)(
      'trusts a CA that only the system store holds (SSL_CERT_FILE), without NODE_EXTRA_CA_CERTS',
      async () => {
        needs()
        const run = await runCore(
          command,
          args,
          { SSL_CERT_FILE: emulator.caFile, SSL_CERT_DIR: emptyDir },
          { authorityHost: emulator.url },
        )
        expect(run.envelope, run.stderr).toMatchObject({ ok: true })
      },
    )

    it.skipIf(skip)('trusts a CA that only the system store holds (SSL_CERT_DIR)', async () => {
      needs()
      const dir = mkdtempSync(join(work, 'dir-'))
      writeFileSync(join(dir, 'emulator.pem'), emulator.caPem)
      const run = await runCore(
        command,
        args,
        { SSL_CERT_FILE: emptyFile, SSL_CERT_DIR: dir },
        { authorityHost: emulator.url },
      )
      expect(run.envelope, run.stderr).toMatchObject({ ok: true })
    })

    it.skipIf(skip)('without it in the system store (nor NODE_EXTRA_CA_CERTS): ERR_TLS', async () => {
      needs()
      const run = await runCore(
        command,
        args,
        { SSL_CERT_FILE: emptyFile, SSL_CERT_DIR: emptyDir },
        { authorityHost: emulator.url },
      )
      expect(run.envelope.error?.code, run.stderr).toBe('ERR_TLS')
    })
  })
})
