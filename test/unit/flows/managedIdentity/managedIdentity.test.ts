import { MockAgent } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readEnv } from '../../../../src/config/env.js'
import { createHttpClient } from '../../../../src/http/client.js'
import type { ArcFiles } from '../../../../src/flows/managedIdentity/azureArc.js'
import {
  acquireTokenWithManagedIdentity,
  scopeToResource,
  selectSource,
  type ManagedIdentityDeps,
} from '../../../../src/flows/managedIdentity/index.js'
import { parseExpiresOn } from '../../../../src/flows/managedIdentity/source.js'
import { silentLogger } from '../../../../src/log/logger.js'
import { fakeClock } from '../../helpers.js'

const CLIENT = '0c6c6ab8-1111-4222-8333-444455556666'
const NOW = Date.parse('2026-11-26T06:00:00Z')
const EXPIRES_ON = String(NOW / 1000 + 3600)
const tokenBody = {
  access_token: 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2ln',
  expires_on: EXPIRES_ON,
  resource: 'https://management.azure.com',
  token_type: 'Bearer',
}

interface Harness {
  agent: MockAgent
  pinned: MockAgent
  pins: string[]
  files: ArcFiles & { content: Map<string, string> }
  deps: ManagedIdentityDeps
}

function harness(platform: NodeJS.Platform = 'linux'): Harness {
  const agent = new MockAgent()
  agent.disableNetConnect()
  const pinned = new MockAgent()
  pinned.disableNetConnect()
  const pins: string[] = []
  const content = new Map<string, string>()
  const files = {
    platform,
    content,
    exists: (path: string) => content.has(path),
    size: (path: string) => (content.has(path) ? Buffer.byteLength(content.get(path)!) : undefined),
    read: (path: string) => content.get(path)!,
  }
  return {
    agent,
    pinned,
    pins,
    files,
    deps: {
      http: createHttpClient(agent, 'managedIdentity'),
      pinnedClient: (thumbprint) => (pins.push(thumbprint), createHttpClient(pinned, 'managedIdentity')),
      files,
      clock: fakeClock(NOW),
      logger: silentLogger,
    },
  }
}

const env = (variables: Record<string, string>) => readEnv(variables)

describe('selectSource', () => {
  it('follows the order Service Fabric, App Service, Machine Learning, Cloud Shell, Arc, IMDS', () => {
    const h = harness()
    const all = {
      IDENTITY_ENDPOINT: 'https://localhost:2377/t',
      IDENTITY_HEADER: 'h',
      IDENTITY_SERVER_THUMBPRINT: 'AB',
      MSI_ENDPOINT: 'http://localhost:50342/oauth2/token',
      MSI_SECRET: 's',
      IMDS_ENDPOINT: 'http://localhost:40342',
    }
    expect(selectSource(env(all), h.deps).name).toBe('Service Fabric')
    expect(selectSource(env({ ...all, IDENTITY_SERVER_THUMBPRINT: '' }), h.deps).name).toBe('App Service')
    expect(selectSource(env({ MSI_ENDPOINT: all.MSI_ENDPOINT, MSI_SECRET: 's' }), h.deps).name).toMatch(
      /Machine Learning/,
    )
    expect(selectSource(env({ MSI_ENDPOINT: all.MSI_ENDPOINT }), h.deps).name).toBe('Cloud Shell')
    expect(
      selectSource(
        env({
          IDENTITY_ENDPOINT: 'http://localhost:40342/metadata/identity/oauth2/token',
          IMDS_ENDPOINT: all.IMDS_ENDPOINT,
        }),
        h.deps,
      ).name,
    ).toBe('Azure Arc')
    expect(selectSource(env({}), h.deps).name).toBe('Azure VM (IMDS)')
    h.files.content.set('/opt/azcmagent/bin/himds', '')
    expect(selectSource(env({}), h.deps).name).toBe('Azure Arc')
  })
})

describe('scopeToResource', () => {
  it('cuts /.default once and takes exactly one scope', () => {
    expect(scopeToResource(['https://management.azure.com/.default'])).toBe('https://management.azure.com')
    expect(scopeToResource(['https://management.core.windows.net//.default'])).toBe(
      'https://management.core.windows.net/',
    )
    expect(() => scopeToResource(['a/.default', 'b/.default'])).toThrow(/one resource/)
  })
})

describe('parseExpiresOn', () => {
  it('reads every form the endpoints send', () => {
    expect(parseExpiresOn(1795672800)).toBe(1795672800000)
    expect(parseExpiresOn('1795672800')).toBe(1795672800000)
    expect(parseExpiresOn('2026-11-26T07:00:00Z')).toBe(Date.parse('2026-11-26T07:00:00Z'))
    expect(parseExpiresOn('11/26/2026 07:00:00 +00:00')).toBe(Date.parse('2026-11-26T07:00:00Z'))
    expect(parseExpiresOn('11/26/2026 08:00:00 +01:00')).toBe(Date.parse('2026-11-26T07:00:00Z'))
    expect(parseExpiresOn('')).toBeUndefined()
    expect(parseExpiresOn({})).toBeUndefined()
  })
})

describe('acquireTokenWithManagedIdentity', () => {
  let h: Harness
  beforeEach(() => {
    h = harness()
  })
  afterEach(async () => {
    h.agent.assertNoPendingInterceptors()
    h.pinned.assertNoPendingInterceptors()
    await h.agent.close()
    await h.pinned.close()
  })

  it('App Service: api-version 2019-08-01, X-IDENTITY-HEADER, user-assigned by client_id', async () => {
    let headers: Record<string, string> = {}
    h.agent
      .get('http://localhost:8081')
      .intercept({
        path: `/msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fmanagement.azure.com&client_id=${CLIENT}`,
        method: 'GET',
        headers: (value) => ((headers = value as Record<string, string>), true),
      })
      .reply(200, { ...tokenBody, expires_on: EXPIRES_ON })
    const token = await acquireTokenWithManagedIdentity(
      { clientId: CLIENT, scopes: ['https://management.azure.com'] },
      env({ IDENTITY_ENDPOINT: 'http://localhost:8081/msi/token', IDENTITY_HEADER: 'rotating-secret' }),
      h.deps,
    )
    expect(headers['X-IDENTITY-HEADER'] ?? headers['x-identity-header']).toBe('rotating-secret')
    expect(token).toMatchObject({
      accessToken: tokenBody.access_token,
      expiresOn: '2026-11-26T07:00:00.000Z',
      expiresIn: 3600,
    })
  })

  it('App Service: principal_id and mi_res_id for the other user-assigned forms', async () => {
    const resourceId =
      '/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/runbooks'
    const pool = h.agent.get('http://localhost:8081')
    pool.intercept({ path: (path) => path.includes(`principal_id=${CLIENT}`), method: 'GET' }).reply(200, tokenBody)
    pool
      .intercept({ path: (path) => path.includes(`mi_res_id=${encodeURIComponent(resourceId)}`), method: 'GET' })
      .reply(200, tokenBody)
    const appService = env({ IDENTITY_ENDPOINT: 'http://localhost:8081/msi/token', IDENTITY_HEADER: 'h' })
    await acquireTokenWithManagedIdentity({ objectId: CLIENT }, appService, h.deps)
    await acquireTokenWithManagedIdentity({ resourceId }, appService, h.deps)
  })

  it.each([
    ['in the past', String(NOW / 1000 - 60)],
    ['now', String(NOW / 1000)],
    ['in 1e20 s', '100000000000000000000'],
  ])('finding 5: an expires_on %s is refused with ERR_INVALID_RESPONSE, never ERR_INTERNAL', async (_, expiresOn) => {
    h.agent
      .get('http://localhost:8081')
      .intercept({ path: (path) => path.startsWith('/msi/token'), method: 'GET' })
      .reply(200, { ...tokenBody, expires_on: expiresOn })
    await expect(
      acquireTokenWithManagedIdentity(
        {},
        env({ IDENTITY_ENDPOINT: 'http://localhost:8081/msi/token', IDENTITY_HEADER: 'h' }),
        h.deps,
      ),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
      message: expect.stringMatching(
        /App Service managed identity endpoint answered a token whose expires_on is in .* s, /,
      ),
    })
  })

  it('Automation without an identity: the refusal says to turn it on', async () => {
    h.agent
      .get('http://localhost:8081')
      .intercept({ path: (path) => path.startsWith('/msi/token'), method: 'GET' })
      .reply(400, { Message: 'No managed identity was found for Automation account runbooks' })
    await expect(
      acquireTokenWithManagedIdentity(
        {},
        env({ IDENTITY_ENDPOINT: 'http://localhost:8081/msi/token', IDENTITY_HEADER: 'h' }),
        h.deps,
      ),
    ).rejects.toMatchObject({
      code: 'ERR_AUTH_FAILED',
      message: expect.stringMatching(/No managed identity was found for Automation account/),
      hint: expect.stringMatching(/Turn on the system-assigned identity/),
    })
  })

  it('finding 11: IMDS asked explicitly gets no probe: the token request with Metadata and msi_res_id comes first', async () => {
    const resourceId = '/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/vm'
    const pool = h.agent.get('http://127.0.0.1:5555')
    pool
      .intercept({
        path: (path) =>
          path.includes('api-version=2018-02-01') && path.includes(`msi_res_id=${encodeURIComponent(resourceId)}`),
        method: 'GET',
        headers: { metadata: 'true' },
      })
      .reply(200, { ...tokenBody, expires_in: '3599', expires_on: EXPIRES_ON })
    const token = await acquireTokenWithManagedIdentity(
      { resourceId },
      env({ AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:5555' }),
      h.deps,
    )
    expect(token.expiresOn).toBe('2026-11-26T07:00:00.000Z')
  })

  it('IMDS: retries 410 and 429, then succeeds', async () => {
    const pool = h.agent.get('http://127.0.0.1:5555')
    pool.intercept({ path: (path) => path.includes('api-version'), method: 'GET' }).reply(410, '')
    pool
      .intercept({ path: (path) => path.includes('api-version'), method: 'GET' })
      .reply(429, '', { headers: { 'retry-after': '1' } })
    pool.intercept({ path: (path) => path.includes('api-version'), method: 'GET' }).reply(200, tokenBody)
    await expect(
      acquireTokenWithManagedIdentity({}, env({ AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:5555' }), h.deps),
    ).resolves.toMatchObject({ tokenType: 'Bearer' })
  })

  it('no source: ERR_CREDENTIAL_UNAVAILABLE that lists everything checked', async () => {
    h.agent
      .get('http://127.0.0.1:5555')
      .intercept({ path: (path) => path.startsWith('/metadata/identity/oauth2/token?'), method: 'GET' })
      .replyWithError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))
      .times(4)
    const error = await acquireTokenWithManagedIdentity(
      {},
      env({ AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:5555' }),
      h.deps,
    ).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_CREDENTIAL_UNAVAILABLE' })
    for (const fact of [
      'Service Fabric',
      'IDENTITY_ENDPOINT, IDENTITY_HEADER',
      'MSI_ENDPOINT',
      'Azure Arc',
      'IMDS at http://127.0.0.1:5555 (AZURE_POD_IDENTITY_AUTHORITY_HOST): ECONNREFUSED',
    ]) {
      expect((error as Error).message).toContain(fact)
    }
  })

  it('Cloud Shell: a POST with the resource in the form; user-assigned refused before any request', async () => {
    let body = ''
    h.agent
      .get('http://localhost:50342')
      .intercept({
        path: '/oauth2/token',
        method: 'POST',
        headers: { metadata: 'true' },
        body: (value) => ((body = value), true),
      })
      .reply(200, { ...tokenBody, expires_on: EXPIRES_ON })
    const cloudShell = env({ MSI_ENDPOINT: 'http://localhost:50342/oauth2/token' })
    await acquireTokenWithManagedIdentity({ scopes: ['https://management.core.windows.net/'] }, cloudShell, h.deps)
    expect(new URLSearchParams(body).get('resource')).toBe('https://management.core.windows.net/')
    await expect(acquireTokenWithManagedIdentity({ clientId: CLIENT }, cloudShell, h.deps)).rejects.toMatchObject({
      code: 'ERR_INVALID_REQUEST',
      message: expect.stringMatching(/Cloud Shell cannot use the user-assigned identity/),
    })
  })

  it('Service Fabric: secret header, a client pinned to IDENTITY_SERVER_THUMBPRINT, numeric expires_on', async () => {
    h.pinned
      .get('https://localhost:2377')
      .intercept({
        path: (path) => path.startsWith('/metadata/identity/oauth2/token?api-version=2019-07-01-preview'),
        method: 'GET',
        headers: { secret: 'sf-secret' },
      })
      .reply(200, { ...tokenBody, expires_on: Number(EXPIRES_ON) })
    const token = await acquireTokenWithManagedIdentity(
      {},
      env({
        IDENTITY_ENDPOINT: 'https://localhost:2377/metadata/identity/oauth2/token',
        IDENTITY_HEADER: 'sf-secret',
        IDENTITY_SERVER_THUMBPRINT: 'A1B2',
      }),
      h.deps,
    )
    expect(h.pins).toEqual(['A1B2'])
    expect(token.expiresIn).toBe(3600)
  })

  describe('Azure Arc', () => {
    const arc = env({
      IDENTITY_ENDPOINT: 'http://localhost:40342/metadata/identity/oauth2/token',
      IMDS_ENDPOINT: 'http://localhost:40342',
    })
    const challenge = (realm: string) =>
      h.agent
        .get('http://localhost:40342')
        .intercept({ path: (path) => path.includes('api-version=2020-06-01'), method: 'GET' })
        .reply(401, '', { headers: { 'www-authenticate': `Basic realm=${realm}` } })

    it('answers the challenge with the key file from the agent folder', async () => {
      h.files.content.set('/var/opt/azcmagent/tokens/abc.key', 'KEYDATA')
      challenge('/var/opt/azcmagent/tokens/abc.key')
      h.agent
        .get('http://localhost:40342')
        .intercept({
          path: (path) => path.includes('api-version=2020-06-01'),
          method: 'GET',
          headers: { authorization: 'Basic KEYDATA' },
        })
        .reply(200, tokenBody)
      await expect(acquireTokenWithManagedIdentity({}, arc, h.deps)).resolves.toMatchObject({ tokenType: 'Bearer' })
    })

    it.each([
      ['outside the agent folder', '/tmp/abc.key', /not in \/var\/opt\/azcmagent\/tokens/],
      ['a traversal out of the folder', '/var/opt/azcmagent/tokens/../../../etc/x.key', /not in/],
      ['not a .key file', '/var/opt/azcmagent/tokens/abc.txt', /does not end in \.key/],
      ['too large', '/var/opt/azcmagent/tokens/big.key', /more than 4096/],
      ['missing', '/var/opt/azcmagent/tokens/none.key', /cannot be read/],
    ])('refuses a key file %s', async (_, realm, message) => {
      h.files.content.set('/var/opt/azcmagent/tokens/big.key', 'x'.repeat(5000))
      h.files.content.set('/var/opt/azcmagent/tokens/abc.txt', 'k')
      h.files.content.set('/tmp/abc.key', 'k')
      challenge(realm)
      await expect(acquireTokenWithManagedIdentity({}, arc, h.deps)).rejects.toMatchObject({
        code: 'ERR_AUTH_FAILED',
        message: expect.stringMatching(message),
      })
    })

    it('refuses a user-assigned identity before any request', async () => {
      await expect(acquireTokenWithManagedIdentity({ clientId: CLIENT }, arc, h.deps)).rejects.toMatchObject({
        message: expect.stringMatching(/only a system-assigned identity/),
      })
    })
  })

  it.each([
    [{ clientId: 'nope' }, /not a GUID/],
    [{ resourceId: '/subscriptions/x' }, /not the resource id of a user-assigned/],
    [{ clientId: CLIENT, objectId: CLIENT }, /clientId and objectId were given/],
    [{ scopes: ['https://a.example', 'https://b.example'] }, /one resource/],
  ])('refuses bad input %j before any request', async (request, message) => {
    await expect(
      acquireTokenWithManagedIdentity(
        request,
        env({ IDENTITY_ENDPOINT: 'http://localhost:8081/msi/token', IDENTITY_HEADER: 'h' }),
        h.deps,
      ),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_REQUEST',
      message: expect.stringMatching(message),
    })
  })
})
