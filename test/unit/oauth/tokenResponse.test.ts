import { describe, expect, it } from 'vitest'
import { authenticationError, parseOAuthError, parseTokenResponse } from '../../../src/oauth/tokenResponse.js'
import { CLIENT_ID, entraError, fakeJwt, TENANT } from '../helpers.js'

const json = (status: number, body: unknown) => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
})
const endpoint = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`

describe('parseOAuthError', () => {
  it('reads every field of Entra error body', () => {
    expect(
      parseOAuthError(
        json(401, {
          ...entraError(7000215, 'invalid_client', 'Invalid client secret provided.'),
          suberror: 'bad_token',
        }),
      ),
    ).toEqual({
      error: 'invalid_client',
      errorDescription: expect.stringMatching(/^AADSTS7000215: Invalid client secret provided\./),
      errorCodes: [7000215],
      aadsts: 'AADSTS7000215',
      suberror: 'bad_token',
      traceId: '0b5f7e5c-0000-4000-8000-000000000001',
      correlationId: '9d1e0000-0000-4000-8000-000000000002',
      timestamp: '2026-11-26 05:00:00Z',
      errorUri: 'https://login.microsoftonline.com/error?code=7000215',
    })
  })

  it('returns undefined for bodies that are not OAuth errors', () => {
    expect(parseOAuthError({ status: 429, headers: {}, body: 'Too Many Requests' })).toBeUndefined()
    expect(parseOAuthError(json(400, { message: 'x' }))).toBeUndefined()
  })
})

describe('authenticationError', () => {
  it('keeps the AADSTS text without the trace lines and adds the hint', () => {
    const oauth = parseOAuthError(json(401, entraError(7000215, 'invalid_client', 'Invalid client secret provided.')))!
    const error = authenticationError(401, oauth, {
      tenant: TENANT,
      clientId: CLIENT_ID,
      scopes: [],
      secretLooksLikeId: true,
    })
    expect(error.code).toBe('ERR_AUTH_FAILED')
    expect(error.message).toBe('Entra refused the token request: AADSTS7000215: Invalid client secret provided.')
    expect(error.hint).toMatch(
      /^The secret you passed has the shape of a GUID: that is the Secret ID\. .*copy the secret's Value/,
    )
  })
})

describe('parseTokenResponse', () => {
  const requestedAt = Date.parse('2026-11-26T05:00:00Z')

  it('reads the token, computes expiry from the request time, and decodes display claims', () => {
    const accessToken = fakeJwt({
      aud: 'https://graph.microsoft.com',
      tid: TENANT,
      appid: CLIENT_ID,
      roles: ['User.Read.All'],
    })
    const token = parseTokenResponse(
      json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken }),
      requestedAt,
      endpoint,
    )
    expect(token).toEqual({
      tokenType: 'Bearer',
      accessToken,
      expiresIn: 3599,
      expiresOn: '2026-11-26T05:59:59.000Z',
      claims: { aud: 'https://graph.microsoft.com', tid: TENANT, appid: CLIENT_ID, roles: ['User.Read.All'] },
    })
  })

  it('accepts expires_in as a string (v1 style) and keeps refresh data', () => {
    const token = parseTokenResponse(
      json(200, {
        token_type: 'Bearer',
        expires_in: '600',
        access_token: 'opaque',
        refresh_token: 'rt',
        scope: 'User.Read',
        refresh_in: 300,
      }),
      requestedAt,
      endpoint,
    )
    expect(token).toMatchObject({ expiresIn: 600, refreshToken: 'rt', scope: 'User.Read', refreshIn: 300 })
    expect(token.claims).toBeUndefined()
  })

  it.each([
    ['0', 0],
    ['4 (under the 5 s floor)', 4],
    ['-60', -60],
    ['"-60" (a string)', '-60'],
    ['1e20', 1e20],
    ['8 days', 8 * 24 * 3600],
    ['59.5', 59.5],
  ])('finding 5: expires_in %s is refused with ERR_INVALID_RESPONSE naming it, never ERR_INTERNAL', (_, expiresIn) => {
    const response = json(200, { token_type: 'Bearer', expires_in: expiresIn, access_token: 'opaque' })
    expect(() => parseTokenResponse(response, requestedAt, endpoint)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_RESPONSE',
        message: expect.stringMatching(/expires_in .* s, /),
        hint: expect.stringMatching(/not Entra/),
      }),
    )
  })

  it('finding 5: a lifetime of a day (managed identity, CAE) is believed; a refresh_in outside the lifetime is dropped', () => {
    expect(
      parseTokenResponse(
        json(200, { expires_in: 86400, access_token: 'opaque', refresh_in: 43200 }),
        requestedAt,
        endpoint,
      ),
    ).toMatchObject({ expiresIn: 86400, refreshIn: 43200 })
    expect(
      parseTokenResponse(json(200, { expires_in: 600, access_token: 'opaque', refresh_in: -5 }), requestedAt, endpoint)
        .refreshIn,
    ).toBeUndefined()
    expect(
      parseTokenResponse(json(200, { expires_in: 600, access_token: 'opaque', refresh_in: 900 }), requestedAt, endpoint)
        .refreshIn,
    ).toBeUndefined()
  })

  it.each([
    [
      'an HTML page',
      { status: 200, headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><html>sign in</html>' },
      /HTML page/,
    ],
    [
      'truncated JSON',
      { status: 200, headers: { 'content-type': 'application/json' }, body: '{"token_type":"Bearer","access_tok' },
      /not JSON/,
    ],
    ['no access_token', json(200, { token_type: 'Bearer', expires_in: 3599 }), /without 'access_token'/],
    ['an empty body', { status: 200, headers: {}, body: '' }, /empty body/],
  ])('refuses %s with ERR_INVALID_RESPONSE', (_, response, message) => {
    expect(() => parseTokenResponse(response, requestedAt, endpoint)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_RESPONSE', message: expect.stringMatching(message) }),
    )
  })
})
