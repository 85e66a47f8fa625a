// pwsh in a terminal: PowerShell's own prompt for a missing mandatory parameter, and Read-Host -AsSecureString as -ClientSecret.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'
import { plain, PROMPT, startPwsh, type Terminal } from './terminal.js'

const tenant = directory.tenants[0]!
const app = tenant.apps.find((candidate) => candidate.name === 'automation')!
const secret = app.secrets[0]!.value

describe.skipIf(process.platform !== 'linux')('prompts in a terminal', { timeout: 60_000 }, () => {
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

  it('a missing -TenantId is asked for as PowerShell asks for any mandatory parameter', async () => {
    terminal = await startPwsh(emulator)
    const from = terminal.output.length
    terminal.line(
      `Build-MicrosoftEntraIDApplicationAccessHeader -ClientId ${app.clientId} -ClientSecret '${secret}' | Out-Null`,
    )
    await terminal.waitFor(/Supply values for the following parameters:\s*\n\s*TenantId: $/, { from })
    terminal.line(tenant.domains[0]!)
    await terminal.waitFor(/Authorization successful! Token saved in variable\./, { from })
    const before = terminal.output.length
    terminal.line(
      '(Invoke-RestMethod -Uri "$env:AZURE_AUTHORITY_HOST/_emulator/api/me" -Headers $global:MicrosoftEntraIDHeader).tenantId',
    )
    await terminal.waitFor(new RegExp(`\\n${tenant.id}\\s*\\n${PROMPT}`), { from: before })
  })

  it('a secret typed at Read-Host -AsSecureString works as -ClientSecret and never shows on the screen', async () => {
    terminal = await startPwsh(emulator)
    const from = terminal.output.length
    terminal.line("$secret = Read-Host -AsSecureString 'Client secret'")
    await terminal.waitFor(/Client secret: $/, { from })
    terminal.write(secret)
    await terminal.waitFor(new RegExp(`Client secret: \\*{${secret.length}}$`), { from })
    terminal.write('\r')
    await terminal.waitFor(new RegExp(`\\n${PROMPT}$`), { from })
    const before = terminal.output.length
    terminal.line(
      `$token = Get-MicrosoftEntraIDApplicationAccessToken -TenantId ${tenant.id} -ClientId ${app.clientId} -ClientSecret $secret; $token`,
    )
    await terminal.waitFor(/AccessToken\s*:\s*\[redacted\][\s\S]*Roles\s*:\s*\{?User\.Read\.All/, { from: before })
    const after = terminal.output.length
    terminal.line(
      '(Invoke-RestMethod -Uri "$env:AZURE_AUTHORITY_HOST/_emulator/api/me" -Headers @{ Authorization = "Bearer $token" }).appId',
    )
    await terminal.waitFor(new RegExp(`\\n${app.clientId}\\s*\\n${PROMPT}`), { from: after })
    expect(plain(terminal.output)).not.toContain(secret)
    expect(terminal.output).not.toContain(secret)
    expect(terminal.output).not.toMatch(/eyJ[\w-]+\.[\w-]+\./)
  })
})
