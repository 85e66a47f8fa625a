// pwsh in a terminal: Test-MicrosoftEntraIDApplicationAccess shows a checklist, one line per check, fixes indented.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'
import { EMULATOR_CA_NAME } from '../emulator/tls.js'
import { plain, PROMPT, startPwsh, type Terminal } from './terminal.js'

const tenant = directory.tenants[0]!
const noConsent = tenant.apps.find((candidate) => candidate.name === 'no-consent')!
const secret = noConsent.secrets[0]!.value

describe.skipIf(process.platform !== 'linux')('the diagnostics checklist in a terminal', { timeout: 60_000 }, () => {
  let emulator: Emulator
  let terminal: Terminal | undefined
  beforeAll(async () => {
    emulator = await startEmulator()
  })
  afterAll(async () => emulator?.close())
  afterEach(async () => {
    await terminal?.close()
    terminal = undefined
  })

  it('reads as a checklist: status, check, detail; the fix under a failed check; no secret on the screen', async () => {
    terminal = await startPwsh(emulator, { ENTRAAUTH_TLS_EXPECTED_ISSUERS: EMULATOR_CA_NAME })
    const from = terminal.output.length
    terminal.line(
      `Test-MicrosoftEntraIDApplicationAccess -TenantId ${tenant.id} -ClientId ${noConsent.clientId} -ClientSecret '${secret}'`,
    )
    await terminal.waitFor(new RegExp(`\\[SKIP\\] Resource\\s+No -Uri given\\.[\\s\\S]*${PROMPT}`), {
      from,
      timeoutMs: 40_000,
    })
    const screen = plain(terminal.output.slice(from))
    const lines = screen.split('\n')
    const statusLine = (name: string) =>
      lines.find((line) => new RegExp(`^\\[(PASS|WARN|FAIL|SKIP)\\] ${name}\\s`).test(line))
    expect(statusLine('Tenant')).toMatch(/^\[PASS\] Tenant {13}bc88430d/)
    expect(statusLine('TLS')).toMatch(new RegExp(`^\\[PASS\\] TLS\\s+.*issued by '${EMULATOR_CA_NAME}', trusted`))
    expect(statusLine('Clock')).toMatch(/^\[PASS\] Clock\s+This machine's clock is \d+ s/)
    const claims = lines.findIndex((line) => line.startsWith('[FAIL] Token claims'))
    expect(claims).toBeGreaterThan(0)
    // The detail may wrap at the terminal's 200 columns; the fix follows it, indented, before the next check.
    const next = lines.findIndex((line, index) => index > claims && /^\[(PASS|WARN|FAIL|SKIP)\] /.test(line))
    expect(lines.slice(claims + 1, next).join('\n')).toMatch(
      /^ {26}Fix: Add the application permissions under API permissions and grant admin consent/m,
    )
    expect(screen.replace(/\n/g, '')).toContain(`/${tenant.id}/adminconsent?client_id=${noConsent.clientId}`)
    // The typed command line echoes the secret once; nothing after it does.
    expect(screen.slice(screen.indexOf('[PASS] Tenant'))).not.toContain(secret)
  })
})
