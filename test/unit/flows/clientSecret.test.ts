import { describe, expect, it } from 'vitest'
import { acquireTokenWithClientSecret } from '../../../src/flows/clientSecret.js'
import type { ClientSecretRequest } from '../../../src/protocol/request.js'
import {
  CLIENT_ID,
  emptyEnv,
  entraError,
  fakeJwt,
  LOGIN,
  TENANT,
  testDeps,
  useTestDeps,
  TOKEN_PATH,
} from '../helpers.js'

const SECRET = 'Sp3Q~tricky+&= %ü chars~0123456789abcdef'
const request = (overrides: Partial<ClientSecretRequest> = {}): ClientSecretRequest => ({
  protocolVersion: 1,
  flow: 'clientSecret',
  tenantId: TENANT,
  clientId: CLIENT_ID,
  clientSecret: SECRET,
  ...overrides,
})
const tokenBody = {
  token_type: 'Bearer',
  expires_in: 3599,
  ext_expires_in: 3599,
  access_token: fakeJwt({ aud: 'https://graph.microsoft.com' }),
}

describe('acquireTokenWithClientSecret', () => {
  let deps: ReturnType<typeof testDeps>
  useTestDeps(testDeps, (fresh) => (deps = fresh))

  it('posts the client credentials grant with the secret intact', async () => {
    let form: URLSearchParams | undefined
    deps.agent
      .get(LOGIN)
      .intercept({ path: TOKEN_PATH, method: 'POST', body: (body) => ((form = new URLSearchParams(body)), true) })
      .reply(200, tokenBody)
    const token = await acquireTokenWithClientSecret(request(), emptyEnv, deps)
    expect(token.accessToken).toBe(tokenBody.access_token)
    expect(Object.fromEntries(form!)).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      scope: 'https://graph.microsoft.com/.default',
      client_secret: SECRET,
    })
  })

  it('uses the cloud of -Environment for host and default scope', async () => {
    let scope: string | null = null
    deps.agent
      .get('https://login.microsoftonline.us')
      .intercept({
        path: TOKEN_PATH,
        method: 'POST',
        body: (body) => ((scope = new URLSearchParams(body).get('scope')), true),
      })
      .reply(200, tokenBody)
    await acquireTokenWithClientSecret(request({ environment: 'USGov' }), emptyEnv, deps)
    expect(scope).toBe('https://graph.microsoft.us/.default')
  })

  it('turns AADSTS7000215 into ERR_AUTH_FAILED with the hint, without retrying', async () => {
    deps.agent
      .get(LOGIN)
      .intercept({ path: TOKEN_PATH, method: 'POST' })
      .reply(401, entraError(7000215, 'invalid_client', 'Invalid client secret provided.'))
    const error = await acquireTokenWithClientSecret(request(), emptyEnv, deps).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'ERR_AUTH_FAILED',
      status: 401,
      oauth: { aadsts: 'AADSTS7000215', traceId: expect.any(String) },
    })
    expect((error as Error).message).toContain('AADSTS7000215')
    expect((error as { hint: string }).hint).toMatch(/Value .*not its Secret ID/)
    expect(deps.clock.sleeps).toEqual([])
  })

  it('gets the token after a 429 with Retry-After: 1', async () => {
    const pool = deps.agent.get(LOGIN)
    pool
      .intercept({ path: TOKEN_PATH, method: 'POST' })
      .reply(429, 'Too Many Requests', { headers: { 'retry-after': '1' } })
    pool.intercept({ path: TOKEN_PATH, method: 'POST' }).reply(200, tokenBody)
    await expect(acquireTokenWithClientSecret(request(), emptyEnv, deps)).resolves.toMatchObject({
      tokenType: 'Bearer',
    })
    expect(deps.clock.sleeps).toEqual([1000])
  })

  it('ends three 503s in ERR_SERVICE_UNAVAILABLE', async () => {
    deps.agent
      .get(LOGIN)
      .intercept({ path: TOKEN_PATH, method: 'POST' })
      .reply(503, {
        error: 'temporarily_unavailable',
        error_description: 'AADSTS90033: The server is temporarily too busy.',
      })
      .times(3)
    await expect(acquireTokenWithClientSecret(request(), emptyEnv, deps)).rejects.toMatchObject({
      code: 'ERR_SERVICE_UNAVAILABLE',
      message: expect.stringMatching(/HTTP 503.*gave up after 3 tries/),
    })
  })

  it('reports an HTML answer as ERR_INVALID_RESPONSE', async () => {
    deps.agent
      .get(LOGIN)
      .intercept({ path: TOKEN_PATH, method: 'POST' })
      .reply(200, '<html><body>Proxy login</body></html>', { headers: { 'content-type': 'text/html' } })
    await expect(acquireTokenWithClientSecret(request(), emptyEnv, deps)).rejects.toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
      hint: expect.stringMatching(/proxy/),
    })
  })

  it('maps a refused connection to ERR_NETWORK after bounded retries', async () => {
    deps.agent
      .get(LOGIN)
      .intercept({ path: TOKEN_PATH, method: 'POST' })
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
      .times(3)
    await expect(acquireTokenWithClientSecret(request(), emptyEnv, deps)).rejects.toMatchObject({
      code: 'ERR_NETWORK',
      message: expect.stringMatching(/ECONNREFUSED.*3 tries/),
    })
  })

  it.each([
    ['a malformed tenant', { tenantId: 'contoso/../../evil' }, /neither a GUID nor a DNS name/],
    ['common', { tenantId: 'common' }, /names no tenant/],
    ['no client id', { clientId: undefined }, /ClientId is required/],
    ['an empty secret', { clientSecret: '' }, /ClientSecret is empty/],
    ['a delegated scope', { scopes: ['User.Read'] }, /delegated permission/],
    ['two resources', { scopes: ['https://graph.microsoft.com', 'https://vault.azure.net'] }, /exactly one resource/],
    ['an http authority', { authorityHost: 'http://login.example.com' }, /plain http/],
  ])('refuses %s before any request', async (_, overrides, message) => {
    await expect(
      acquireTokenWithClientSecret(request(overrides as Partial<ClientSecretRequest>), emptyEnv, deps),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_REQUEST',
      message: expect.stringMatching(message),
    })
  })
})
