import { describe, expect, it } from 'vitest'
import { AuthenticationError, ConfigurationError } from '../../../src/errors.js'
import { parseRequest } from '../../../src/protocol/request.js'
import { fail } from '../../../src/protocol/response.js'

describe('parseRequest', () => {
  const valid = { protocolVersion: 1, flow: 'clientSecret', tenantId: 't.example', clientId: 'c', clientSecret: 's' }

  it('accepts a well-formed request', () => {
    expect(parseRequest(JSON.stringify(valid))).toEqual(valid)
  })

  it.each([
    ['not JSON', '{', /not JSON/],
    ['an array', '[]', /JSON object/],
    ['another protocol version', JSON.stringify({ ...valid, protocolVersion: 2 }), /protocolVersion 2/],
    ['an unknown flow', JSON.stringify({ ...valid, flow: 'password' }), /Unknown flow/],
    ['scopes as a string', JSON.stringify({ ...valid, scopes: 'User.Read' }), /array of strings/],
    ['a secret that is not a string', JSON.stringify({ ...valid, clientSecret: 5 }), /'clientSecret' must be a string/],
    ['a zero timeout', JSON.stringify({ ...valid, timeoutSec: 0 }), /timeoutSec/],
  ])('refuses %s with ERR_PROTOCOL', (_, text, message) => {
    expect(() => parseRequest(text)).toThrow(expect.objectContaining({ code: 'ERR_PROTOCOL', message: expect.stringMatching(message) }))
  })

  it('never echoes a secret in its errors', () => {
    const secret = 'do-not-echo-me'
    let message = ''
    try {
      parseRequest(JSON.stringify({ ...valid, clientSecret: secret, flow: 'bogus' }))
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).not.toContain(secret)
  })
})

describe('fail', () => {
  it('writes what happened, the fix and Entra ids into one message', () => {
    const error = new AuthenticationError('Entra refused the token request: AADSTS7000215: Invalid client secret provided.', {
      status: 401,
      hint: 'Copy the Value.',
      oauth: { error: 'invalid_client', traceId: 't-1', correlationId: 'c-1', timestamp: '2026-11-26 05:00:00Z' },
    })
    expect(fail(error).error).toEqual({
      code: 'ERR_AUTH_FAILED',
      message: 'Entra refused the token request: AADSTS7000215: Invalid client secret provided. Fix: Copy the Value. (Trace ID: t-1, Correlation ID: c-1, Timestamp: 2026-11-26 05:00:00Z)',
      hint: 'Copy the Value.',
      status: 401,
      oauth: { error: 'invalid_client', traceId: 't-1', correlationId: 'c-1', timestamp: '2026-11-26 05:00:00Z' },
    })
    expect(fail(new ConfigurationError('Bad.', 'Do this.')).error.message).toBe('Bad. Fix: Do this.')
  })

  it('does not leak the message or stack of an unexpected error', () => {
    const envelope = fail(new TypeError('secret-in-message'))
    expect(JSON.stringify(envelope)).not.toContain('secret-in-message')
    expect(envelope.error.code).toBe('ERR_INTERNAL')
  })
})
