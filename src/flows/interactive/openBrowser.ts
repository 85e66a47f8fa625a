// Which program opens the sign-in page: ENTRAAUTH_BROWSER, else the system's (rundll32, open, xdg-open); or why none can.

import type { Env } from '../../config/env.js'
import { ENV_VARS } from '../../config/constants.js'
import { CredentialUnavailableError } from '../../errors.js'

export interface BrowserOpener {
  command: string
  /** The arguments before the URL. */
  args: string[]
  /** For messages: `xdg-open`, `ENTRAAUTH_BROWSER (/path/to/opener)`. */
  name: string
}

const DEVICE_CODE_HINT =
  'Use -DeviceCode instead (it shows a code to enter on any device with a browser), or set ENTRAAUTH_BROWSER to a program that opens a URL.'

function unavailable(reason: string): CredentialUnavailableError {
  return new CredentialUnavailableError(`No browser can be opened here: ${reason}.`, DEVICE_CODE_HINT)
}

/**
 * Picks the opener for this machine. ENTRAAUTH_BROWSER wins and skips every check (it is how tests and unusual
 * desktops name theirs); otherwise a remote or headless session is refused before anything listens.
 * @param browserUnavailable the module's reason (remote PowerShell session, Azure Automation, non-interactive host)
 * @throws CredentialUnavailableError naming the reason and -DeviceCode
 */
export function chooseOpener(
  env: Env,
  platform: NodeJS.Platform,
  browserUnavailable: string | undefined,
): BrowserOpener {
  if (env.browser !== undefined) return { command: env.browser, args: [], name: `${ENV_VARS.browser} (${env.browser})` }
  if (browserUnavailable !== undefined && browserUnavailable !== '') throw unavailable(browserUnavailable)
  if (env.automation !== undefined) throw unavailable('this is an Azure Automation sandbox (nobody sits at it)')
  if (env.sshSession !== undefined)
    throw unavailable('this is an SSH session, and a browser would open on the remote machine, not in front of you')
  switch (platform) {
    case 'win32':
      return {
        command: 'rundll32.exe',
        args: ['url.dll,FileProtocolHandler'],
        name: 'rundll32 url.dll,FileProtocolHandler',
      }
    case 'darwin':
      return { command: 'open', args: [], name: 'open' }
    default:
      if (env.display === undefined)
        throw unavailable('there is no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set)')
      return { command: 'xdg-open', args: [], name: 'xdg-open' }
  }
}
