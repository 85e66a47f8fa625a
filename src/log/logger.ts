// People-facing log lines on stderr, filtered by level and passed through the redactor.

import type { Redactor } from './redact.js'
import { sanitizeServerText } from './sanitizeText.js'

export const LOG_LEVELS = ['warning', 'info', 'verbose', 'debug'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** Longest log message: a debug stack trace fits. */
const MAX_LOG_MESSAGE = 8000

export interface Logger {
  warning(message: string): void
  info(message: string): void
  verbose(message: string): void
  debug(message: string): void
}

/**
 * Writes `[EntraAuth] <level>: <message>` lines; the PowerShell wrapper maps the level to its streams.
 * @param write where lines go (stderr in the program, an array in tests)
 */
export function createLogger(level: LogLevel, redactor: Redactor, write: (line: string) => void): Logger {
  const threshold = LOG_LEVELS.indexOf(level)
  const emit = (lineLevel: LogLevel, message: string): void => {
    if (LOG_LEVELS.indexOf(lineLevel) > threshold) return
    // Lines carry server text (headers, descriptions, claims): no terminal sequences, then no secrets.
    for (const line of redactor
      .redact(sanitizeServerText(message, { keepNewlines: true, maxLength: MAX_LOG_MESSAGE }))
      .split('\n'))
      write(`[EntraAuth] ${lineLevel}: ${line}\n`)
  }
  return {
    warning: (message) => emit('warning', message),
    info: (message) => emit('info', message),
    verbose: (message) => emit('verbose', message),
    debug: (message) => emit('debug', message),
  }
}

/** A logger that drops everything, for callers that do not log. */
export const silentLogger: Logger = { warning() {}, info() {}, verbose() {}, debug() {} }
