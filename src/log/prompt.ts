// Instructions for the person at the keyboard (the device code message): stderr lines the module shows at once.

import type { Redactor } from './redact.js'

/**
 * Writes `[EntraAuth] prompt: <line>` for each line of the message, whatever the log level: the PowerShell
 * launcher reads stderr while the core runs and shows these lines on the host immediately.
 */
export function createPromptWriter(redactor: Redactor, write: (line: string) => void): (message: string) => void {
  return (message) => {
    for (const line of redactor.redact(message).split(/\r?\n/)) if (line.trim() !== '') write(`[EntraAuth] prompt: ${line}\n`)
  }
}
