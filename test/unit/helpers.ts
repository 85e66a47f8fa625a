// Shared test doubles: a fake clock, a MockAgent with the network off, a logger that records lines.

import { MockAgent } from 'undici'
import { afterEach, beforeEach } from 'vitest'
import { readEnv, type Env } from '../../src/config/env.js'
import { createHttpClient } from '../../src/http/client.js'
import type { Clock } from '../../src/http/retry.js'
import { createLogger, type LogLevel, type Logger } from '../../src/log/logger.js'
import { Redactor } from '../../src/log/redact.js'
import type { TokenEndpointDeps } from '../../src/oauth/tokenEndpoint.js'

export const TENANT = 'bc88430d-6289-4f53-b9ba-c0bb39258221'
export const CLIENT_ID = '73cb4075-110d-4333-b123-0bac229ca06a'
export const LOGIN = 'https://login.microsoftonline.com'
export const TOKEN_PATH = `/${TENANT}/oauth2/v2.0/token`

/** A clock whose sleep advances time instantly, and remembers the waits. */
export function fakeClock(start = 1_700_000_000_000): Clock & { sleeps: number[] } {
  let now = start
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms)
      now += ms
    },
  }
}

/** An environment with nothing set, so no test depends on the machine's variables. */
export const emptyEnv: Env = readEnv({})

export interface TestDeps extends TokenEndpointDeps {
  agent: MockAgent
  lines: string[]
  redactor: Redactor
}

export function testDeps(level: LogLevel = 'debug'): TestDeps & { clock: ReturnType<typeof fakeClock> } {
  const agent = new MockAgent()
  agent.disableNetConnect()
  const lines: string[] = []
  const redactor = new Redactor()
  const logger: Logger = createLogger(level, redactor, (line) => lines.push(line))
  return { agent, lines, redactor, logger, clock: fakeClock(), http: createHttpClient(agent) }
}

/** A JWT-shaped access token with the given claims (unsigned: the core never verifies tokens). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${encode({ typ: 'JWT', alg: 'RS256' })}.${encode(claims)}.c2lnbmF0dXJl`
}

export function entraError(code: number, error: string, text: string): Record<string, unknown> {
  return {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: 0b5f7e5c-0000-4000-8000-000000000001 Correlation ID: 9d1e0000-0000-4000-8000-000000000002 Timestamp: 2026-11-26 05:00:00Z`,
    error_codes: [code],
    timestamp: '2026-11-26 05:00:00Z',
    trace_id: '0b5f7e5c-0000-4000-8000-000000000001',
    correlation_id: '9d1e0000-0000-4000-8000-000000000002',
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  }
}

/**
 * Fresh deps from `create` before each test of the enclosing block, handed to `assign`; after each test no
 * interceptor may be left unused, and the MockAgent is closed.
 */
export function useTestDeps<T extends { agent: MockAgent }>(create: () => T, assign: (deps: T) => void): void {
  let current: T | undefined
  beforeEach(() => {
    current = create()
    assign(current)
  })
  afterEach(async () => {
    current?.agent.assertNoPendingInterceptors()
    await current?.agent.close()
  })
}
