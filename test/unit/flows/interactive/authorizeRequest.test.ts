import { describe, expect, it } from 'vitest'
import { authorizeEndpoint, authorizeUrl, readRedirect } from '../../../../src/flows/interactive/authorizeRequest.js'
import { EntraAuthError } from '../../../../src/errors.js'

const context = {
  tenant: 'organizations',
  clientId: '14d82eec-204b-4c2f-b7e8-296a70dab67e',
  scopes: ['User.Read.All'],
  interactive: true,
}

function failure(params: Record<string, string>, state = 'the-state'): EntraAuthError {
  try {
    readRedirect(new URLSearchParams(params), state, context)
  } catch (error) {
    return error as EntraAuthError
  }
  throw new Error('no error')
}

describe('authorize request', () => {
  it('builds the authorize URL with S256 PKCE, state, nonce and the options', () => {
    const url = new URL(
      authorizeUrl({
        endpoint: authorizeEndpoint('https://login.microsoftonline.com/organizations/oauth2/v2.0/token'),
        clientId: context.clientId,
        redirectUri: 'http://localhost:5000/',
        scopes: ['User.Read.All', 'openid'],
        state: 's',
        nonce: 'n',
        codeChallenge: 'c',
        prompt: 'select_account',
        loginHint: 'admin@contoso.com',
      }),
    )
    expect(url.pathname).toBe('/organizations/oauth2/v2.0/authorize')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: context.clientId,
      response_type: 'code',
      redirect_uri: 'http://localhost:5000/',
      response_mode: 'query',
      scope: 'User.Read.All openid',
      state: 's',
      nonce: 'n',
      code_challenge: 'c',
      code_challenge_method: 'S256',
      prompt: 'select_account',
      login_hint: 'admin@contoso.com',
    })
  })

  it('returns the code only when the state is the one sent', () => {
    expect(readRedirect(new URLSearchParams({ code: 'abc', state: 'the-state' }), 'the-state', context)).toBe('abc')
    expect(failure({ code: 'abc', state: 'forged' }).code).toBe('ERR_STATE_MISMATCH')
    expect(failure({ code: 'abc' }).code).toBe('ERR_STATE_MISMATCH')
    // A forged error redirect is refused the same way, before its text is believed.
    expect(failure({ error: 'access_denied', state: 'forged' }).code).toBe('ERR_STATE_MISMATCH')
  })

  it('maps error= redirects: declined, consent, MFA, Conditional Access, first-party preauthorization', () => {
    const declined = failure({
      error: 'access_denied',
      error_description: 'AADSTS65004: User declined to consent to access the app. Trace ID: x',
      state: 'the-state',
    })
    expect(declined.code).toBe('ERR_SIGN_IN_DECLINED')
    expect(declined.message).toBe(
      'The sign-in was declined in the browser: AADSTS65004: User declined to consent to access the app.',
    )
    expect(declined.hint).toMatch(/accept it/)
    expect(declined.oauth?.aadsts).toBe('AADSTS65004')
    const cases: Array<[string, string, RegExp]> = [
      ['consent_required', 'AADSTS65001: The user or administrator has not consented.', /admin consent/],
      [
        'interaction_required',
        'AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.',
        /Multi-factor/,
      ],
      ['interaction_required', 'AADSTS50079: The user is required to register for MFA.', /register/],
      ['access_denied', 'AADSTS53003: Access has been blocked by Conditional Access policies.', /Conditional Access/],
      [
        'invalid_client',
        "AADSTS65002: Consent between first party application '04b07795-8ddb-461a-bbee-02f9e1bf7b46' and first party resource '00000003-0000-0000-c000-000000000000' must be configured via preauthorization.",
        /Omit -ClientId/,
      ],
      [
        'invalid_request',
        'AADSTS50126: Error validating credentials due to invalid username or password.',
        /user name or password/,
      ],
    ]
    for (const [error, description, hint] of cases) {
      const found = failure({ error, error_description: description, state: 'the-state' })
      expect(found.hint, description).toMatch(hint)
      expect(found.message).toContain(description.slice(0, 14))
    }
    expect(
      failure({ error: 'consent_required', error_description: 'AADSTS65001: no consent', state: 'the-state' }).code,
    ).toBe('ERR_AUTH_FAILED')
  })
})
