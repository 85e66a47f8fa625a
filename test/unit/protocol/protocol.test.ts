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
    expect(() => parseRequest(text)).toThrow(
      expect.objectContaining({ code: 'ERR_PROTOCOL', message: expect.stringMatching(message) }),
    )
  })

  const certificate = {
    protocolVersion: 1,
    flow: 'clientCertificate',
    tenantId: 't.example',
    clientId: 'c',
    certificates: ['MIIB'],
    privateKey: 'pem',
  }

  it.each([
    ['a certificate with its key', certificate],
    [
      'a PEM path with a password, PS256 and the chain',
      {
        ...certificate,
        certificates: undefined,
        privateKey: undefined,
        certificatePath: '/a.pem',
        certificatePassword: 'pw',
        algorithm: 'PS256',
        sendCertificateChain: true,
      },
    ],
    [
      'a prepare step',
      { protocolVersion: 1, flow: 'clientCertificatePrepare', tenantId: 't', clientId: 'c', certificates: ['MIIB'] },
    ],
    [
      'a signed step',
      {
        protocolVersion: 1,
        flow: 'clientCertificateSigned',
        tenantId: 't',
        clientId: 'c',
        certificates: ['MIIB'],
        clientAssertion: 'a.b.c',
      },
    ],
    [
      'a device code sign-in',
      {
        protocolVersion: 1,
        flow: 'deviceCode',
        tenantId: 'organizations',
        clientId: 'c',
        scopes: ['User.Read'],
        timeoutSec: 900,
      },
    ],
  ])('accepts %s', (_, request) => {
    expect(parseRequest(JSON.stringify(request))).toMatchObject({ flow: request.flow })
  })

  it.each([
    ['both certificates and a path', { ...certificate, certificatePath: '/a.pem' }, /either/],
    ['certificates without key', { ...certificate, privateKey: undefined }, /need 'privateKey'/],
    [
      'a key with a path',
      { ...certificate, certificates: undefined, certificatePath: '/a.pem' },
      /goes with 'certificates'/,
    ],
    ['certificates that are not base64', { ...certificate, certificates: ['-----BEGIN'] }, /base64 DER/],
    ['an unknown algorithm', { ...certificate, algorithm: 'HS256' }, /Unknown algorithm 'HS256'/],
    [
      'a prepare step without certificates',
      { ...certificate, flow: 'clientCertificatePrepare', certificates: undefined },
      /needs 'certificates'/,
    ],
    [
      'a signed step without assertion',
      { ...certificate, flow: 'clientCertificateSigned' },
      /needs 'certificates' and 'clientAssertion'/,
    ],
  ])('refuses %s with ERR_PROTOCOL', (_, request, message) => {
    expect(() => parseRequest(JSON.stringify(request))).toThrow(
      expect.objectContaining({ code: 'ERR_PROTOCOL', message: expect.stringMatching(message) }),
    )
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
    const error = new AuthenticationError(
      'Entra refused the token request: AADSTS7000215: Invalid client secret provided.',
      {
        status: 401,
        hint: 'Copy the Value.',
        oauth: { error: 'invalid_client', traceId: 't-1', correlationId: 'c-1', timestamp: '2026-11-26 05:00:00Z' },
      },
    )
    expect(fail(error).error).toEqual({
      code: 'ERR_AUTH_FAILED',
      message:
        'Entra refused the token request: AADSTS7000215: Invalid client secret provided. Fix: Copy the Value. (Trace ID: t-1, Correlation ID: c-1, Timestamp: 2026-11-26 05:00:00Z)',
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
