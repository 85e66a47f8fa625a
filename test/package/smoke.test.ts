// Smoke tests: each executable this machine can run (natively, wine, qemu-user) gets a token from the emulator.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runnerFor, runWithFiles, windowsPath } from '../../build/sea/runners.mjs'
import { startEmulator, type Emulator } from '../emulator/index.js'
import { createTestClient, fixture } from '../emulator/harness.js'

const exeDir = fileURLToPath(new URL('../../dist/exe/', import.meta.url))
const inCi = process.env.CI === 'true'

const cases = [
  { target: 'linux-x64', file: 'entraauth-linux-x64', needs: 'a linux-x64 machine' },
  { target: 'win-x64', file: 'entraauth-win-x64.exe', needs: "Debian's wine64 package (apt-get install wine64)" },
  {
    target: 'linux-arm64',
    file: 'entraauth-linux-arm64',
    needs: 'qemu-user-static, libc6-arm64-cross and libstdc++6-arm64-cross',
  },
]

describe.each(cases)('$file', ({ target, file, needs }) => {
  const runner = runnerFor(target, join(exeDir, file))
  let emulator: Emulator
  let work: string
  const caPath = () => (target.startsWith('win-') ? windowsPath(emulator.caFile) : emulator.caFile)
  const request = () =>
    JSON.stringify({
      protocolVersion: 1,
      flow: 'clientSecret',
      tenantId: fixture.tenantId,
      clientId: fixture.clientId,
      clientSecret: fixture.trickySecret,
      authorityHost: emulator.url,
      timeoutSec: 30,
      logLevel: 'info',
    })

  beforeAll(async () => {
    emulator = await startEmulator()
    work = mkdtempSync(join(tmpdir(), `entraauth-smoke-${target}-`))
  })
  afterAll(async () => {
    await emulator?.close()
    rmSync(work, { recursive: true, force: true })
  })

  /** The runner, or a failure in CI (which installs what these need); elsewhere the tests are skipped. */
  const here = () => {
    if (runner === undefined) throw new Error(`${file} cannot be run on this machine: install ${needs}.`)
    return runner
  }

  it.skipIf(runner === undefined && !inCi)(
    'gets a token from the emulator with a non-ASCII secret, stdin and stdout being files',
    async () => {
      const run = await runWithFiles(here(), [], {
        input: request(),
        workDir: work,
        env: { NODE_EXTRA_CA_CERTS: caPath(), NO_PROXY: '127.0.0.1' },
      })
      expect(run.stderr).toBe('')
      expect(run.status).toBe(0)
      const envelope = JSON.parse(run.stdout)
      expect(envelope.ok).toBe(true)
      const client = createTestClient(emulator)
      try {
        const me = await client.get('/_emulator/api/me', { authorization: `Bearer ${envelope.token.accessToken}` })
        expect(me.status).toBe(200)
        expect(me.json()).toMatchObject({
          appId: fixture.clientId,
          tenantId: fixture.tenantId,
          aud: 'https://graph.microsoft.com',
        })
      } finally {
        await client.close()
      }
    },
    120_000,
  )

  it.skipIf(runner === undefined && !inCi)(
    'refuses the emulator without its CA (ERR_TLS): TLS is verified',
    async () => {
      const run = await runWithFiles(here(), [], {
        input: request(),
        workDir: work,
        env: { NODE_EXTRA_CA_CERTS: '', NO_PROXY: '127.0.0.1' },
      })
      expect(run.status).toBe(4)
      expect(JSON.parse(run.stdout).error.code).toBe('ERR_TLS')
    },
    120_000,
  )
})
