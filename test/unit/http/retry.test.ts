import { describe, expect, it } from 'vitest'
import type { HttpResponse } from '../../../src/http/client.js'
import { isRetryableStatus, parseRetryAfter, withRetry } from '../../../src/http/retry.js'
import { silentLogger } from '../../../src/log/logger.js'
import { fakeClock } from '../helpers.js'

const response = (status: number, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, body: '' })

function scripted(outcomes: Array<HttpResponse | Error>) {
  let calls = 0
  const attempt = async () => {
    const next = outcomes[calls++]
    if (next === undefined) throw new Error('no more scripted outcomes')
    if (next instanceof Error) throw next
    return next
  }
  return { attempt, calls: () => calls }
}

const networkError = (code: string) => Object.assign(new Error(code), { code })

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-26T05:00:00Z')
  it('reads seconds, HTTP dates and the millisecond variants', () => {
    expect(parseRetryAfter({ 'retry-after': '1' }, now)).toBe(1000)
    expect(parseRetryAfter({ 'retry-after': 'Thu, 26 Nov 2026 05:00:30 GMT' }, now)).toBe(30_000)
    expect(parseRetryAfter({ 'retry-after': 'Thu, 26 Nov 2026 04:00:00 GMT' }, now)).toBe(0)
    expect(parseRetryAfter({ 'retry-after-ms': '250' }, now)).toBe(250)
    expect(parseRetryAfter({ 'x-ms-retry-after-ms': '40' }, now)).toBe(40)
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined()
    expect(parseRetryAfter({}, now)).toBeUndefined()
  })
})

describe('isRetryableStatus', () => {
  it('retries 429 and 5xx except 501 and 505, never another 4xx', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true)
    expect([400, 401, 403, 404, 501, 505].some(isRetryableStatus)).toBe(false)
  })
})

describe('withRetry', () => {
  it('waits as Retry-After says, then returns the success', async () => {
    const clock = fakeClock()
    const script = scripted([response(429, { 'retry-after': '1' }), response(200)])
    const outcome = await withRetry(script.attempt, { clock, logger: silentLogger, deadline: clock.now() + 60_000 })
    expect(outcome).toMatchObject({ kind: 'response', attempts: 2, response: { status: 200 } })
    expect(clock.sleeps).toEqual([1000])
  })

  it('gives up after three tries with exponential back-off', async () => {
    const clock = fakeClock()
    const script = scripted([response(503), response(503), response(503), response(200)])
    const outcome = await withRetry(script.attempt, { clock, logger: silentLogger, deadline: clock.now() + 60_000 })
    expect(outcome).toMatchObject({
      kind: 'response',
      attempts: 3,
      response: { status: 503 },
      gaveUpReason: 'gave up after 3 tries',
    })
    expect(clock.sleeps).toEqual([1000, 2000])
    expect(script.calls()).toBe(3)
  })

  it('never retries a 4xx', async () => {
    const clock = fakeClock()
    const script = scripted([response(401), response(200)])
    const outcome = await withRetry(script.attempt, { clock, logger: silentLogger, deadline: clock.now() + 60_000 })
    expect(outcome).toMatchObject({ kind: 'response', attempts: 1, response: { status: 401 } })
    expect(script.calls()).toBe(1)
  })

  it('stops when the wait would pass the deadline', async () => {
    const clock = fakeClock()
    const script = scripted([response(429, { 'retry-after': '120' }), response(200)])
    const outcome = await withRetry(script.attempt, { clock, logger: silentLogger, deadline: clock.now() + 10_000 })
    expect(outcome.gaveUpReason).toMatch(/wait 120 s, 10 s left/)
    expect(clock.sleeps).toEqual([])
  })

  it('retries transient network failures but not TLS failures', async () => {
    const clock = fakeClock()
    const transient = scripted([networkError('ECONNRESET'), response(200)])
    expect(
      await withRetry(transient.attempt, { clock, logger: silentLogger, deadline: clock.now() + 60_000 }),
    ).toMatchObject({ kind: 'response', attempts: 2 })
    const tls = scripted([networkError('SELF_SIGNED_CERT_IN_CHAIN'), response(200)])
    expect(await withRetry(tls.attempt, { clock, logger: silentLogger, deadline: clock.now() + 60_000 })).toMatchObject(
      { kind: 'error', attempts: 1 },
    )
  })
})
