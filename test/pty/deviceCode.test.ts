// pwsh in a terminal: the device code instruction appears while polling, approval yields a token, Ctrl+C stops at once.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'
import { commandLine, coresBelow, PROMPT, startPwsh, type Terminal } from './terminal.js'

const tenant = directory.tenants[0]!
const graphTools = tenant.apps.find((app) => app.name === 'microsoft-graph-command-line-tools')!
const instruction =
  /To sign in, use a web browser to open the page (\S+) and enter the code ([A-Z0-9]{9}) to authenticate\./

describe.skipIf(process.platform !== 'linux')('device code in a terminal', { timeout: 60_000 }, () => {
  let emulator: Emulator
  let terminal: Terminal | undefined
  beforeAll(async () => {
    emulator = await startEmulator({ deviceCodeIntervalSeconds: 1 })
  })
  afterAll(async () => emulator?.close())
  afterEach(async () => {
    await terminal?.close()
    terminal = undefined
  })

  it('shows the instruction while the core polls; the approved sign-in gives a header the API accepts', async () => {
    terminal = await startPwsh(emulator)
    const from = terminal.output.length
    terminal.line(
      "$h = Build-MicrosoftEntraIDApplicationAccessHeader -DeviceCode -Scope 'https://graph.microsoft.com/User.Read'",
    )
    const { match } = await terminal.waitFor(instruction, { from })
    expect(match[1]).toBe(`${emulator.url}/devicelogin`)
    const userCode = match[2]!
    // The core is still running and polling: the instruction came before the end, not after it.
    const cores = coresBelow(terminal.pid)
    expect(cores).toHaveLength(1)
    await new Promise((resolve) => setTimeout(resolve, 1200))
    expect(emulator.deviceCodes.find((code) => code.userCode === userCode)?.polls).toBeGreaterThanOrEqual(1)
    emulator.approveDeviceCode({ userCode, tenantId: tenant.id })
    await terminal.waitFor(/Authorization successful! Token saved in variable\./, { from })
    await terminal.waitFor(new RegExp(PROMPT), { from: terminal.output.length - PROMPT.length - 50 })
    const before = terminal.output.length
    terminal.line(
      '(Invoke-RestMethod -Uri "$env:AZURE_AUTHORITY_HOST/_emulator/api/me" -Headers $global:MicrosoftEntraIDHeader) | ConvertTo-Json -Compress',
    )
    const { match: me } = await terminal.waitFor(
      /\{"appId":"[^"]+","tenantId":"[^"]+","roles":\[\],"scp":"User\.Read"/,
      { from: before },
    )
    expect(me[0]).toContain(graphTools.clientId)
    expect(terminal.output).not.toMatch(/eyJ[\w-]+\.[\w-]+\./)
  })

  it('Ctrl+C while polling returns to the prompt within 1 s and leaves no core process', async () => {
    terminal = await startPwsh(emulator)
    const from = terminal.output.length
    terminal.line('Get-MicrosoftEntraIDApplicationAccessToken -DeviceCode')
    const { match } = await terminal.waitFor(instruction, { from })
    const cores = coresBelow(terminal.pid)
    expect(cores).toHaveLength(1)
    await new Promise((resolve) => setTimeout(resolve, 700))
    const interrupted = terminal.output.length
    const pressed = Date.now()
    terminal.write('\x03')
    const { at } = await terminal.waitFor(new RegExp(PROMPT), { from: interrupted, timeoutMs: 5000 })
    expect(at - pressed).toBeLessThan(1000)
    expect(coresBelow(terminal.pid)).toEqual([])
    expect(commandLine(cores[0]!)).toBe('')
    // No error record for a stopped command, and Entra is no longer polled.
    const after = terminal.output.slice(interrupted)
    expect(after).not.toMatch(/ERR_|Exception/)
    const polls = emulator.deviceCodes.find((code) => code.userCode === match[2])?.polls
    await new Promise((resolve) => setTimeout(resolve, 1200))
    expect(emulator.deviceCodes.find((code) => code.userCode === match[2])?.polls).toBe(polls)
  })
})
