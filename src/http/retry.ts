// Bounded retries: only 429, 5xx and network failures, Retry-After honoured, never past the deadline.

import { LIMITS } from '../config/constants.js'
import type { Logger } from '../log/logger.js'
import type { HttpResponse } from './client.js'

export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

/** Statuses worth another try (RFC 6585, RFC 9110); 501 and 505 will not change. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505)
}

/** Error codes of transient transport failures (undici and Node). TLS failures are not among them. */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
])

export function errorCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') return code
    current = current.cause
  }
  return undefined
}

export function isRetryableNetworkError(error: unknown): boolean {
  const code = errorCode(error)
  return code !== undefined && RETRYABLE_NETWORK_CODES.has(code)
}

/**
 * Milliseconds the server asked us to wait: `retry-after-ms`, `x-ms-retry-after-ms`, or
 * `Retry-After` as seconds or an HTTP date (RFC 9110 section 10.2.3). Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Record<string, string>, now: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers[name]
    if (value !== undefined && /^\d+$/.test(value.trim())) return Number(value.trim())
  }
  const value = headers['retry-after']?.trim()
  if (value === undefined || value === '') return undefined
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

export interface RetryContext {
  clock: Clock
  logger: Logger
  /** Epoch ms after which no new try starts. */
  deadline: number
  maxAttempts?: number
  /** Which statuses get another try; default 429 and 5xx. Managed identity endpoints add 404 and 410. */
  retryableStatus?: (status: number) => boolean
}

/** How a retried call ended: the last response, or the error of the last try. */
export type RetryOutcome =
  | { kind: 'response'; response: HttpResponse; attempts: number; gaveUpReason?: string }
  | { kind: 'error'; error: unknown; attempts: number; gaveUpReason?: string }

/**
 * Runs `attempt` until it gives a response that is not retryable, the tries run out, or the next
 * wait would pass the deadline. Never throws: the caller turns the outcome into a result or an error.
 */
export async function withRetry(
  attempt: (remainingMs: number) => Promise<HttpResponse>,
  context: RetryContext,
): Promise<RetryOutcome> {
  const maxAttempts = context.maxAttempts ?? LIMITS.maxAttempts
  for (let attemptNumber = 1; ; attemptNumber++) {
    let outcome: RetryOutcome
    let retryable: boolean
    let waitMs = LIMITS.baseRetryDelayMs * 2 ** (attemptNumber - 1)
    try {
      const response = await attempt(Math.max(1, context.deadline - context.clock.now()))
      outcome = { kind: 'response', response, attempts: attemptNumber }
      retryable = (context.retryableStatus ?? isRetryableStatus)(response.status)
      waitMs = parseRetryAfter(response.headers, context.clock.now()) ?? waitMs
      if (retryable) context.logger.verbose(`HTTP ${response.status} on try ${attemptNumber} of ${maxAttempts}`)
    } catch (error) {
      outcome = { kind: 'error', error, attempts: attemptNumber }
      retryable = isRetryableNetworkError(error)
      if (retryable)
        context.logger.verbose(`network failure ${errorCode(error)} on try ${attemptNumber} of ${maxAttempts}`)
    }
    if (!retryable) return outcome
    if (attemptNumber >= maxAttempts) return { ...outcome, gaveUpReason: `gave up after ${attemptNumber} tries` }
    const remaining = context.deadline - context.clock.now()
    if (waitMs >= remaining) {
      const reason = `the next try would start after the time limit (wait ${Math.ceil(waitMs / 1000)} s, ${Math.max(0, Math.floor(remaining / 1000))} s left)`
      return { ...outcome, gaveUpReason: reason }
    }
    context.logger.verbose(`waiting ${waitMs} ms before try ${attemptNumber + 1}`)
    await context.clock.sleep(waitMs)
  }
}
