// -Interactive in real headless Chromium against the emulator: sign-in, decline, forged state, timeout, the cache and
// its renewal by refresh token, the default clients (no AADSTS65002 for Graph scopes). The module runs in pwsh; its
// opener hands the URL to this test, which drives the emulator's sign-in page in Chromium.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'puppeteer-core'
import directory from '../fixtures/directory.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'
import { chromiumInstalled, launchChromium, startOpenerSink, type Chromium, type OpenerSink } from './chromium.js'
import { portClosed, runPwsh, testEnv } from './pwsh.js'

const tenant = directory.tenants[0]!
const app = (name: string) => tenant.apps.find((candidate) => candidate.name === name)!
const graphTools = app('microsoft-graph-command-line-tools')
const azurePowerShell = app('azure-powershell')
const azureCli = app('azure-cli')

// CI installs Chromium (build/setup-machine.sh): there a missing browser fails instead of skipping.
describe.skipIf(!chromiumInstalled && process.env.CI !== 'true')('-Interactive in headless Chromium', { timeout: 90_000 }, () => {
  let emulator: Emulator
  let chromium: Chromium
  let sink: OpenerSink
  beforeAll(async () => {
    emulator = await startEmulator()
    ;[chromium, sink] = await Promise.all([launchChromium(emulator), startOpenerSink()])
  })
  afterAll(async () => {
    await Promise.all([chromium?.close(), sink?.close()])
    await emulator?.close()
  })

  /** Opens the URL the opener got, and on the emulator's page picks the first user and clicks Accept or Cancel. */
  async function answer(url: string, action: 'approve' | 'decline'): Promise<{ page: Page; outcome: string | null }> {
    const page = await chromium.browser.newPage()
    await page.goto(url)
    await page.click('#user-0')
    await Promise.all([page.waitForNavigation(), page.click(`#${action}`)])
    const outcome = await page.$eval('body', (body) => body.getAttribute('data-entraauth-outcome'))
    return { page, outcome }
  }

  it('returns a delegated header for User.Read.All with the Graph tools client; a second call is cached, renewal uses the refresh token', async () => {
    const opened = sink.received.length
    const run = runPwsh(
      `$h = Build-MicrosoftEntraIDApplicationAccessHeader -Interactive -Scope https://graph.microsoft.com/User.Read.All 6>$null
       $r.type = $h.GetType().FullName
       $r.me = Invoke-RestMethod -Uri "$env:AZURE_AUTHORITY_HOST/_emulator/api/me" -Headers $h
       $again = Build-MicrosoftEntraIDApplicationAccessHeader -Interactive -Scope https://graph.microsoft.com/User.Read.All 6>$null
       $r.cached = $again.Authorization -eq $h.Authorization
       & (Get-Module EntraAuth) { $script:EntraAuthClockOffset = [TimeSpan]::FromSeconds(3400) }   # past the renewal time of a 3599 s token
       $renewed = Build-MicrosoftEntraIDApplicationAccessHeader -Interactive -Scope https://graph.microsoft.com/User.Read.All 6>$null
       $r.renewedDiffers = $renewed.Authorization -ne $h.Authorization
       $r.renewedMe = Invoke-RestMethod -Uri "$env:AZURE_AUTHORITY_HOST/_emulator/api/me" -Headers $renewed`,
      testEnv(emulator, sink.url),
    )
    const url = new URL(await sink.next())
    // The authorize request: this cloud's endpoint, S256 PKCE, state, nonce, the loopback redirect URI.
    expect(`${url.origin}${url.pathname}`).toBe(`${emulator.url}/organizations/oauth2/v2.0/authorize`)
    const query = url.searchParams
    expect(query.get('client_id')).toBe(graphTools.clientId)
    expect(query.get('response_type')).toBe('code')
    expect(query.get('code_challenge_method')).toBe('S256')
    expect(query.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(query.get('state')).toMatch(/^[\w-]{22,}$/)
    expect(query.get('nonce')).toMatch(/^[\w-]{22,}$/)
    expect(query.get('scope')).toBe('https://graph.microsoft.com/User.Read.All openid profile offline_access')
    const redirect = new URL(query.get('redirect_uri')!)
    expect(redirect.origin).toMatch(/^http:\/\/localhost:\d+$/)
    expect(redirect.pathname).toBe('/')
    const { page, outcome } = await answer(url.toString(), 'approve')
    expect(outcome).toBe('success')
    expect(await page.$eval('h1', (h1) => h1.textContent)).toBe('Signed in')
    await page.close()

    const result = await run
    expect(result.error).toBeUndefined()
    expect(result.type).toBe('System.Collections.Hashtable')
    expect(result.me).toMatchObject({ appId: graphTools.clientId, tenantId: tenant.id, roles: [], scp: 'User.Read.All' })
    expect(result.cached).toBe(true)
    expect(result.renewedDiffers).toBe(true)
    expect(result.renewedMe).toMatchObject({ appId: graphTools.clientId, scp: 'User.Read.All' })
    // One browser sign-in for all three calls; the third was a refresh token grant; nothing got AADSTS65002.
    expect(sink.received.length - opened).toBe(1)
    const tokens = emulator.requests.filter((entry) => entry.path.endsWith('/oauth2/v2.0/token') && entry.clientId === graphTools.clientId)
    expect(tokens.map((entry) => [entry.grantType, entry.status])).toEqual([['authorization_code', 200], ['refresh_token', 200]])
    // Exactly one answer: the listener is gone.
    expect(await portClosed(Number(redirect.port), '127.0.0.1')).toBe(true)
    expect(await portClosed(Number(redirect.port), '::1')).toBe(true)
  })

  it('declining on the consent page gives ERR_SIGN_IN_DECLINED with what to do, and the port is closed', async () => {
    const run = runPwsh('Get-MicrosoftEntraIDApplicationAccessToken -Interactive -Scope User.Read 6>$null', testEnv(emulator, sink.url))
    const url = new URL(await sink.next())
    const { page, outcome } = await answer(url.toString(), 'decline')
    expect(outcome).toBe('failure')
    await page.close()
    const result = await run
    expect(result.error?.id).toBe('EntraAuth.ERR_SIGN_IN_DECLINED,Get-MicrosoftEntraIDApplicationAccessToken')
    expect(result.error?.category).toBe('AuthenticationError')
    expect(result.error?.message).toMatch(/declined in the browser: AADSTS65004: User declined to consent.*Fix: .*accept it/)
    expect(await portClosed(Number(new URL(url.searchParams.get('redirect_uri')!).port), '127.0.0.1')).toBe(true)
  })

  it('a forged redirect with another state is refused (ERR_STATE_MISMATCH) and the port is closed afterwards', async () => {
    const run = runPwsh('Get-MicrosoftEntraIDApplicationAccessToken -Interactive -Scope User.Read 6>$null', testEnv(emulator, sink.url))
    const url = new URL(await sink.next())
    const redirect = new URL(url.searchParams.get('redirect_uri')!)
    expect(await portClosed(Number(redirect.port), '127.0.0.1')).toBe(false)
    // Another page (not the emulator) sends the browser to the listener with a code and a state of its own.
    const page = await chromium.browser.newPage()
    await page.goto(`${redirect.origin}/?code=forged-code&state=not-the-state-that-was-sent`)
    expect(await page.$eval('body', (body) => body.getAttribute('data-entraauth-outcome'))).toBe('failure')
    await page.close()
    const result = await run
    expect(result.error?.id).toBe('EntraAuth.ERR_STATE_MISMATCH,Get-MicrosoftEntraIDApplicationAccessToken')
    expect(result.error?.category).toBe('SecurityError')
    expect(await portClosed(Number(redirect.port), '127.0.0.1')).toBe(true)
    expect(await portClosed(Number(redirect.port), '::1')).toBe(true)
    // The forged code never reached the token endpoint.
    expect(emulator.requests.filter((entry) => entry.grantType === 'authorization_code' && entry.status !== 200)).toEqual([])
  })

  it('no answer within -TimeoutSec: ERR_TIMEOUT within the bound, with the port closed', async () => {
    const started = Date.now()
    const run = runPwsh('Get-MicrosoftEntraIDApplicationAccessToken -Interactive -Scope User.Read -TimeoutSec 2 6>$null', testEnv(emulator, sink.url))
    const url = new URL(await sink.next())
    const result = await run
    expect(result.error?.id).toBe('EntraAuth.ERR_TIMEOUT,Get-MicrosoftEntraIDApplicationAccessToken')
    expect(result.error?.message).toMatch(/within -TimeoutSec 2 s.*Fix: .*-DeviceCode/)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(await portClosed(Number(new URL(url.searchParams.get('redirect_uri')!).port), '127.0.0.1')).toBe(true)
  })

  it('Azure Resource Manager without -ClientId signs in with the Azure PowerShell client; the Azure CLI client asking Graph for User.Read.All gets AADSTS65002 with the hint', async () => {
    const arm = runPwsh(
      `$t = Get-MicrosoftEntraIDApplicationAccessToken -Interactive -TenantId ${tenant.domains[0]} -Scope https://management.azure.com 6>$null
       $r.me = Invoke-RestMethod -Uri "$env:AZURE_AUTHORITY_HOST/_emulator/api/me" -Headers @{ Authorization = "Bearer $t" }`,
      testEnv(emulator, sink.url),
    )
    const armUrl = new URL(await sink.next())
    expect(armUrl.searchParams.get('client_id')).toBe(azurePowerShell.clientId)
    await (await answer(armUrl.toString(), 'approve')).page.close()
    const armResult = await arm
    expect(armResult.error).toBeUndefined()
    expect(armResult.me).toMatchObject({ appId: azurePowerShell.clientId, scp: 'user_impersonation' })

    const cli = runPwsh(`Get-MicrosoftEntraIDApplicationAccessToken -Interactive -ClientId ${azureCli.clientId} -Scope https://graph.microsoft.com/User.Read.All 6>$null`, testEnv(emulator, sink.url))
    const cliUrl = new URL(await sink.next())
    const page = await chromium.browser.newPage()
    await page.goto(cliUrl.toString())
    expect(await page.$eval('body', (body) => body.getAttribute('data-entraauth-outcome'))).toBe('failure')
    await page.close()
    const cliResult = await cli
    expect(cliResult.error?.id).toBe('EntraAuth.ERR_AUTH_FAILED,Get-MicrosoftEntraIDApplicationAccessToken')
    expect(cliResult.error?.message).toMatch(/AADSTS65002: Consent between first party application '04b07795-8ddb-461a-bbee-02f9e1bf7b46'.*Fix: .*Omit -ClientId/)
  })
})
