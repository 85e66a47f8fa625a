import { describe, expect, it } from 'vitest'
import { readEnv } from '../../../../src/config/env.js'
import { chooseOpener } from '../../../../src/flows/interactive/openBrowser.js'
import { EntraAuthError } from '../../../../src/errors.js'

function refusal(env: Record<string, string>, platform: NodeJS.Platform, reason?: string): EntraAuthError {
  try {
    chooseOpener(readEnv(env), platform, reason)
  } catch (error) {
    return error as EntraAuthError
  }
  throw new Error('an opener was chosen')
}

describe('browser opener', () => {
  it('uses the system opener of each platform', () => {
    expect(chooseOpener(readEnv({}), 'win32', undefined)).toMatchObject({
      command: 'rundll32.exe',
      args: ['url.dll,FileProtocolHandler'],
    })
    expect(chooseOpener(readEnv({}), 'darwin', undefined)).toMatchObject({ command: 'open', args: [] })
    expect(chooseOpener(readEnv({ DISPLAY: ':0' }), 'linux', undefined)).toMatchObject({ command: 'xdg-open' })
    expect(chooseOpener(readEnv({ WAYLAND_DISPLAY: 'wayland-0' }), 'linux', undefined)).toMatchObject({
      command: 'xdg-open',
    })
  })

  it('says why no browser can open, and names -DeviceCode', () => {
    for (const [env, platform, reason, text] of [
      [{}, 'linux', undefined, /no graphical session/],
      [{ DISPLAY: ':0', SSH_CONNECTION: '10.0.0.1 5000 10.0.0.2 22' }, 'linux', undefined, /SSH session/],
      [{ AZUREPS_HOST_ENVIRONMENT: 'AzureAutomation/' }, 'win32', undefined, /Azure Automation/],
      [
        {},
        'win32',
        'this is a remote PowerShell session, so a browser would open on the remote machine',
        /remote PowerShell session/,
      ],
    ] as const) {
      const error = refusal(env, platform, reason)
      expect(error.code).toBe('ERR_CREDENTIAL_UNAVAILABLE')
      expect(error.message).toMatch(text)
      expect(error.hint).toMatch(/-DeviceCode/)
    }
  })

  it('ENTRAAUTH_BROWSER wins over every check', () => {
    expect(
      chooseOpener(
        readEnv({ ENTRAAUTH_BROWSER: '/opt/opener', SSH_TTY: '/dev/pts/1' }),
        'linux',
        'PowerShell runs with -NonInteractive',
      ),
    ).toMatchObject({ command: '/opt/opener', args: [] })
  })
})
