// Instructions for the person at the keyboard (the device code message): stderr lines the module shows at once.

import type { Redactor } from './redact.js'
import { sanitizeServerText } from './sanitizeText.js'

/**
 * Writes `[EntraAuth] prompt: <line>` for each line of the message, whatever the log level: the PowerShell
 * launcher reads stderr while the core runs and shows these lines on the host immediately. The message is the
 * server's: terminal sequences are removed first, then secrets (so an escape inside a secret cannot hide it).
 */
export function createPromptWriter(redactor: Redactor, write: (line: string) => void): (message: string) => void {
  return (message) => {
    for (const line of redactor.redact(sanitizeServerText(message, { keepNewlines: true })).split('\n'))
      if (line.trim() !== '') write(`[EntraAuth] prompt: ${line}\n`)
  }
}
