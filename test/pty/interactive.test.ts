// pwsh in a terminal with -Interactive: what the admin sees while the browser (headless Chromium) signs in, and Ctrl+C.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import {
  chromiumInstalled,
  launchChromium,
  startOpenerSink,
  type Chromium,
  type OpenerSink,
} from '../browser/chromium.js'
import { openerPath, portClosed } from '../browser/pwsh.js'
import { startEmulator, type Emulator } from '../emulator/index.js'
import { coresBelow, PROMPT, startPwsh, type Terminal } from './terminal.js'

const graphTools = directory.tenants[0]!.apps.find((app) => app.name === 'microsoft-graph-command-line-tools')!
const notice =
  /Sign in with the browser window that opens now \(EntraAuth waits up to 300 s; Ctrl\+C cancels\)\. If none opens, open this page on this machine: (https:\/\/\S+)/

describe.skipIf(process.platform !== 'linux' || (!chromiumInstalled && process.env.CI !== 'true'))(
  '-Interactive in a terminal',
  { timeout: 90_000 },
  () => {
    let emulator: Emulator
    let chromium: Chromium
    let sink: OpenerSink
    let terminal: Terminal | undefined
    beforeAll(async () => {
      emulator = await startEmulator()
      ;[chromium, sink] = await Promise.all([launchChromium(emulator), startOpenerSink()])
    })
    afterAll(async () => {
      await Promise.all([chromium?.close(), sink?.close()])
      await emulator?.close()
    })
    afterEach(async () => {
      await terminal?.close()
      terminal = undefined
    })

    const start = () => startPwsh(emulator, { ENTRAAUTH_BROWSER: openerPath, ENTRAAUTH_TEST_OPENER_SINK: sink.url })

    it('says a browser opens (and the address to open by hand) while it waits; the sign-in in Chromium ends in the header', async () => {
      terminal = await start()
      const from = terminal.output.length
      terminal.line(
        '$h = Build-MicrosoftEntraIDApplicationAccessHeader -Interactive -Scope https://graph.microsoft.com/User.Read.All',
      )
      const { match } = await terminal.waitFor(notice, { from, timeoutMs: 30_000 })
      const url = await sink.next()
      expect(match[1]).toBe(url)
      expect(coresBelow(terminal.pid)).toHaveLength(1)
      const page = await chromium.browser.newPage()
      await page.goto(url)
      await Promise.all([page.waitForNavigation(), page.click('#approve')])
      expect(await page.$eval('body', (body) => body.getAttribute('data-entraauth-outcome'))).toBe('success')
      await page.close()
      await terminal.waitFor(/Authorization successful! Token saved in variable\./, { from })
      await terminal.waitFor(new RegExp(PROMPT), { from: terminal.output.length - PROMPT.length - 50 })
      const before = terminal.output.length
      terminal.line(
        '(Invoke-RestMethod -Uri "$env:AZURE_AUTHORITY_HOST/_emulator/api/me" -Headers $global:MicrosoftEntraIDHeader) | ConvertTo-Json -Compress',
      )
      const { match: me } = await terminal.waitFor(
        /\{"appId":"[^"]+","tenantId":"[^"]+","roles":\[\],"scp":"User\.Read\.All"/,
        { from: before },
      )
      expect(me[0]).toContain(graphTools.clientId)
      expect(terminal.output).not.toMatch(/eyJ[\w-]+\.[\w-]+\./)
    })

    it('Ctrl+C while waiting for the browser returns to the prompt within 1 s, with no core left and the port closed', async () => {
      terminal = await start()
      const from = terminal.output.length
      terminal.line('Get-MicrosoftEntraIDApplicationAccessToken -Interactive')
      await terminal.waitFor(notice, { from, timeoutMs: 30_000 })
      const port = Number(new URL(new URL(await sink.next()).searchParams.get('redirect_uri')!).port)
      expect(await portClosed(port, '127.0.0.1')).toBe(false)
      const interrupted = terminal.output.length
      const pressed = Date.now()
      terminal.write('\x03')
      const { at } = await terminal.waitFor(new RegExp(PROMPT), { from: interrupted, timeoutMs: 5000 })
      expect(at - pressed).toBeLessThan(1000)
      expect(coresBelow(terminal.pid)).toEqual([])
      expect(await portClosed(port, '127.0.0.1')).toBe(true)
      expect(terminal.output.slice(interrupted)).not.toMatch(/ERR_|Exception/)
    })
  },
)
