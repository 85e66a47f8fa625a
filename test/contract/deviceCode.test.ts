// Contract: the BUILT core, resident (--serve) as the module runs it, runs a device code sign-in against the emulator; the
// prompt line comes while it still polls.

import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'
import { bundle, startResidentCore } from './residentCore.js'

const tenant = directory.tenants[0]!
const azureCli = tenant.apps.find((app) => app.name === 'azure-cli')!
const confidential = tenant.apps.find((app) => app.name === 'automation')!

interface Running {
  child: ChildProcessWithoutNullStreams
  /** Resolves with the first `[EntraAuth] prompt:` line, while the core is still running the request. */
  prompt: Promise<string>
  /** The envelope as `stdout` (JSON), the request's lines as `stderr`, `exitCode` as the one-shot core gives it. */
  done: Promise<{ exitCode: number | null; stdout: string; stderr: string }>
}

/** The request to a resident core (--serve), as the module sends it; the core ends after the envelope. */
function startCore(emulator: Emulator, request: Record<string, unknown>): Running {
  const core = startResidentCore({ AZURE_AUTHORITY_HOST: emulator.url, NODE_EXTRA_CA_CERTS: emulator.caFile })
  let answered = false
  const answering = core.send({ protocolVersion: 1, flow: 'deviceCode', tenantId: 'organizations', clientId: azureCli.clientId, timeoutSec: 60, logLevel: 'debug', ...request }, 1)
  const prompt = core.waitForLine(1, /^\[EntraAuth\] prompt: /)
  prompt.catch(() => undefined)
  const done = answering.then(async (answer) => {
    answered = true
    await core.close()
    const { EXIT_CODES } = await import('../../src/protocol/table.js')
    const exitCode = answer.envelope.ok === true ? EXIT_CODES.OK : EXIT_CODES[answer.envelope.error.code as keyof typeof EXIT_CODES]
    return { exitCode, stdout: JSON.stringify(answer.envelope), stderr: answer.lines.map((line) => `${line}\n`).join('') + core.stderr() }
  })
  void prompt.then(() => expect(answered).toBe(false))
  return { child: core.child, prompt, done }
}

const userCodeOf = (line: string): string => /enter the code ([A-Z0-9]+) /.exec(line)?.[1] ?? ''

describe('core bundle: device code', { timeout: 15000 }, () => {
  let emulator: Emulator
  beforeAll(async () => {
    if (!existsSync(bundle)) throw new Error('module/bin/entraauth.mjs is missing: run "npm run build" first')
    // interval 0, as a hostile server may answer: the core polls once a second all the same (finding 6).
    emulator = await startEmulator({ deviceCodeIntervalSeconds: 0 })
  })
  afterAll(async () => emulator.close())

  it('finding 6: prompts while polling at most once a second although the server says interval 0; once approved it answers with the token and a refresh token, never logging the device code', async () => {
    const run = startCore(emulator, { scopes: ['https://graph.microsoft.com/User.Read'] })
    const line = await run.prompt
    expect(line).toMatch(new RegExp(`open the page ${emulator.url}/devicelogin and enter the code [A-Z0-9]{9} to authenticate`))
    await new Promise((resolve) => setTimeout(resolve, 2500))
    const waiting = emulator.deviceCodes.find((code) => code.userCode === userCodeOf(line))
    // finding 6: the server said interval 0; in 2.5 s the core polled at most once a second.
    expect(waiting?.polls).toBeGreaterThanOrEqual(1)
    expect(waiting?.polls).toBeLessThanOrEqual(3)
    emulator.approveDeviceCode({ userCode: userCodeOf(line), tenantId: tenant.id })
    const { exitCode, stdout, stderr } = await run.done
    expect(exitCode).toBe(0)
    const envelope = JSON.parse(stdout)
    expect(envelope.token).toMatchObject({ tokenType: 'Bearer', refreshToken: expect.any(String), claims: { scp: 'User.Read', tid: tenant.id, appid: azureCli.clientId } })
    expect(stderr).toMatch(/polling every 1 s/)
    expect(stderr).toMatch(/verbose: token: Bearer for https:\/\/graph\.microsoft\.com \(tenant .*, user token\), expires .* \(in 60 min\); scopes User\.Read; with a refresh token/)
    expect(stderr).not.toMatch(/DAQAB/)
    expect(stderr).not.toContain(envelope.token.refreshToken)
  })

  it('ends with ERR_DEVICE_CODE_DECLINED and exit code 1 when the user declines', async () => {
    const run = startCore(emulator, {})
    emulator.declineDeviceCode({ userCode: userCodeOf(await run.prompt) })
    const { exitCode, stdout } = await run.done
    expect(exitCode).toBe(1)
    expect(JSON.parse(stdout).error).toMatchObject({ code: 'ERR_DEVICE_CODE_DECLINED' })
  })

  it('ends with ERR_DEVICE_CODE_EXPIRED when the code runs out', async () => {
    emulator.planDeviceCode({ clientId: azureCli.clientId, action: 'none', afterPolls: 0, slowDownPolls: 0, expiresIn: 1 })
    const { exitCode, stdout } = await startCore(emulator, {}).done
    expect(exitCode).toBe(1)
    expect(JSON.parse(stdout).error).toMatchObject({ code: 'ERR_DEVICE_CODE_EXPIRED' })
  })

  it('says to allow public client flows for a confidential app', async () => {
    const { stdout } = await startCore(emulator, { tenantId: tenant.id, clientId: confidential.clientId }).done
    expect(JSON.parse(stdout).error).toMatchObject({ code: 'ERR_AUTH_FAILED', hint: expect.stringMatching(/Allow public client flows/) })
  })
})
