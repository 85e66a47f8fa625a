import { describe, expect, it } from 'vitest'
import { acquireTokenWithRefreshToken } from '../../../src/flows/refreshToken.js'
import type { RefreshTokenRequest } from '../../../src/protocol/request.js'
import { CLIENT_ID, emptyEnv, entraError, LOGIN, TENANT, testDeps, useTestDeps, TOKEN_PATH } from '../helpers.js'

const request = (overrides: Partial<RefreshTokenRequest> = {}): RefreshTokenRequest => ({
  protocolVersion: 1,
  flow: 'refreshToken',
  tenantId: TENANT,
  clientId: CLIENT_ID,
  refreshToken: '1.AXEA-refresh-token',
  ...overrides,
})

describe('acquireTokenWithRefreshToken', () => {
  let deps: ReturnType<typeof testDeps>
  useTestDeps(testDeps, (fresh) => (deps = fresh))

  it('sends client_id, which the seed functions forgot, and returns the rotated refresh token', async () => {
    let form: Record<string, string> = {}
    deps.agent
      .get(LOGIN)
      .intercept({
        path: TOKEN_PATH,
        method: 'POST',
        body: (body) => ((form = Object.fromEntries(new URLSearchParams(body))), true),
      })
      .reply(200, {
        token_type: 'Bearer',
        expires_in: 4415,
        access_token: 'at',
        refresh_token: 'rt-2',
        scope: 'https://graph.microsoft.com/.default',
      })
    const token = await acquireTokenWithRefreshToken(request(), emptyEnv, deps)
    expect(form).toEqual({
      grant_type: 'refresh_token',
      client_id: CLIENT_ID,
      scope: 'https://graph.microsoft.com/.default',
      refresh_token: '1.AXEA-refresh-token',
    })
    expect(token.refreshToken).toBe('rt-2')
  })

  it('sends the secret of a confidential client and delegated scopes as they are', async () => {
    let form: Record<string, string> = {}
    deps.agent
      .get(LOGIN)
      .intercept({
        path: '/organizations/oauth2/v2.0/token',
        method: 'POST',
        body: (body) => ((form = Object.fromEntries(new URLSearchParams(body))), true),
      })
      .reply(200, { token_type: 'Bearer', expires_in: 4415, access_token: 'at' })
    await acquireTokenWithRefreshToken(
      request({ tenantId: 'organizations', clientSecret: 's3cret', scopes: ['User.Read', 'offline_access'] }),
      emptyEnv,
      deps,
    )
    expect(form).toMatchObject({ client_secret: 's3cret', scope: 'User.Read offline_access' })
  })

  it('fails before any request without a client id, saying why', async () => {
    await expect(acquireTokenWithRefreshToken(request({ clientId: undefined }), emptyEnv, deps)).rejects.toMatchObject({
      code: 'ERR_INVALID_REQUEST',
      message: expect.stringMatching(
        /ClientId is required to redeem a refresh token: Entra rejects a refresh without the client id/,
      ),
    })
  })

  it('says to sign in again when the refresh token was revoked', async () => {
    deps.agent
      .get(LOGIN)
      .intercept({ path: TOKEN_PATH, method: 'POST' })
      .reply(400, {
        ...entraError(50173, 'invalid_grant', 'The provided grant has expired due to it being revoked.'),
        suberror: 'bad_token',
      })
    await expect(acquireTokenWithRefreshToken(request(), emptyEnv, deps)).rejects.toMatchObject({
      code: 'ERR_AUTH_FAILED',
      hint: expect.stringMatching(/Sign in again/),
      oauth: { suberror: 'bad_token' },
    })
  })
})
