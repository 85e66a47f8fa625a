import { describe, expect, it } from 'vitest'
import { acquireTokenWithClientSecret } from '../../../src/flows/clientSecret.js'
import { createLogger } from '../../../src/log/logger.js'
import { Redactor } from '../../../src/log/redact.js'
import { sanitizeServerText } from '../../../src/log/sanitizeText.js'
import { CLIENT_ID, emptyEnv, fakeJwt, LOGIN, TENANT, testDeps, TOKEN_PATH } from '../helpers.js'

describe('Redactor', () => {
  it('finding 3: removes a secret from a server text the sanitiser changed (CR/LF) or cut short (a long secret), and only the secret', () => {
    const redactor = new Redactor()
    const crlf = 'crlf-secret-0123456\r\nsecond-line-0123456'
    const long = `${'k'.repeat(5120)}"\\${'q'.repeat(5118)}`
    redactor.addSecret(crlf)
    redactor.addSecret(long)
    // Errors are sanitised where they are made (CR becomes LF, at most 2000 characters), before the redactor sees them.
    const shownCrlf = sanitizeServerText(`Invalid client secret provided: ${crlf}.`, { keepNewlines: true })
    expect(redactor.redact(shownCrlf)).toBe('Invalid client secret provided: REDACTED.')
    const shownLong = sanitizeServerText(`Invalid client secret provided: ${long}.`)
    expect(shownLong).toMatch(/k{100}… \(\d+ more characters\)$/)
    expect(redactor.redact(`Entra said: ${shownLong} Fix: check it.`)).toMatch(
      /^Entra said: Invalid client secret provided: REDACTED… \(\d+ more characters\) Fix: check it\.$/,
    )
    // A text cut short after something that is not a secret keeps its end.
    expect(redactor.redact(sanitizeServerText(`${'x'.repeat(3000)}`))).toMatch(/^x{2000}… \(1000 more characters\)$/)
  })

  it('removes registered secrets in plain and URL-encoded form', () => {
    const redactor = new Redactor()
    const secret = 'a+b&c= d%ü'
    redactor.addSecret(secret)
    const text = `x ${secret} y ${encodeURIComponent(secret)} z ${new URLSearchParams({ s: secret }).toString()}`
    expect(redactor.redact(text)).not.toMatch(/a\+b|a%2Bb/)
  })

  it('removes JWTs, credential fields and authorization headers it was not told about', () => {
    const redactor = new Redactor()
    const jwt = fakeJwt({ aud: 'x' })
    const out = redactor.redact(
      `token ${jwt} client_secret=abc123&x=1 {"refresh_token":"rt-value"} Authorization: Bearer abcdefghijk`,
    )
    expect(out).not.toContain(jwt)
    expect(out).not.toMatch(/abc123|rt-value|abcdefghijk/)
    expect(out).toContain('client_secret=REDACTED&x=1')
  })
})

describe('private keys', () => {
  const key = [
    '-----BEGIN PRIVATE KEY-----',
    ...Array.from({ length: 4 }, (_, i) => `MIIEv${i}QIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC${i}x7yP0a`),
    '-----END PRIVATE KEY-----',
  ].join('\n')

  it('removes any PEM private key block, whole or cut short', () => {
    const redactor = new Redactor()
    expect(redactor.redact(`before ${key} after`)).toBe('before REDACTED after')
    expect(redactor.redact(`cut: ${key.slice(0, 80)}`)).toBe('cut: REDACTED')
    expect(
      redactor.redact(
        '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----',
      ),
    ).toBe('REDACTED')
  })

  it('removes each line of a registered key, also JSON-escaped', () => {
    const redactor = new Redactor()
    redactor.addSecret(key)
    const line = key.split('\n')[2]!
    expect(redactor.redact(`one line: ${line}`)).toBe('one line: REDACTED')
    expect(redactor.redact(JSON.stringify({ privateKey: key }))).not.toMatch(/MIIEv/)
  })
})

describe('logging of a whole flow at debug level', () => {
  it('never writes the secret or the token', async () => {
    const deps = testDeps('debug')
    const secret = 'Sx8Q~plain.Secret_value-0123456789abcdefgh'
    const accessToken = fakeJwt({ aud: 'https://graph.microsoft.com' })
    deps.redactor.addSecret(secret)
    deps.agent
      .get(LOGIN)
      .intercept({ path: TOKEN_PATH, method: 'POST' })
      .reply(200, { token_type: 'Bearer', expires_in: 3599, access_token: accessToken })
    await acquireTokenWithClientSecret(
      { protocolVersion: 1, flow: 'clientSecret', tenantId: TENANT, clientId: CLIENT_ID, clientSecret: secret },
      emptyEnv,
      deps,
    )
    const output = deps.lines.join('')
    expect(output).toContain('POST https://login.microsoftonline.com/')
    expect(output).not.toContain(secret)
    expect(output).not.toContain(accessToken)
    await deps.agent.close()
  })

  it('prefixes every line with its level and filters by level', () => {
    const lines: string[] = []
    const logger = createLogger('verbose', new Redactor(), (line) => lines.push(line))
    logger.debug('hidden')
    logger.verbose('two\nlines')
    expect(lines).toEqual(['[EntraAuth] verbose: two\n', '[EntraAuth] verbose: lines\n'])
  })
})

describe('redactValue', () => {
  it('redacts every string of a JSON-shaped value, keeps its keys and other values, and never works on JSON text', () => {
    const redactor = new Redactor()
    const secret = 'se"cr\\et\twith-quote'
    redactor.addSecret(secret)
    const value = {
      ok: false,
      error: {
        code: 'ERR_AUTH_FAILED',
        message: `said ${secret}`,
        status: 401,
        oauth: { errorCodes: [7000215], list: [`x ${secret} y`, '-----BEGIN PRIVATE KEY-----'] },
      },
    }
    const redacted = redactor.redactValue(value)
    expect(redacted).toEqual({
      ok: false,
      error: {
        code: 'ERR_AUTH_FAILED',
        message: 'said REDACTED',
        status: 401,
        oauth: { errorCodes: [7000215], list: ['x REDACTED y', 'REDACTED'] },
      },
    })
    expect(JSON.parse(JSON.stringify(redacted))).toEqual(redacted)
    expect(value.error.message).toBe(`said ${secret}`)
  })

  it('removes a longer secret whole when a shorter one is part of it', () => {
    const redactor = new Redactor()
    redactor.addSecret('abcd')
    redactor.addSecret('abcd-and-more')
    expect(redactor.redact('x abcd-and-more y')).toBe('x REDACTED y')
  })
})
