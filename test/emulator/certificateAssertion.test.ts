// The emulator's client assertion checks (docs/entra-protocol.md §3.2 "What each library actually sends"): what each library sends is accepted, each fault gets Entra's answer.
import { constants, createHash, randomUUID, sign, type KeyObject } from 'node:crypto'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import directoryData from '../fixtures/directory.json' with { type: 'json' }
import { createTestClient, expectStsError, fixture, tokenPath, type TestClient } from './harness.js'
import { startEmulator, type Emulator } from './index.js'
import { createTestCertificate, type TestCertificate } from './testCertificates.js'

const certificateApp = directoryData.tenants[0]!.apps.find((app) => app.name === 'certificate-app')!
const clientId = certificateApp.clientId
const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

type Claims = Record<string, unknown>

/** Signs any header and claims by hand, so tests can send what each library sends (and what none should). */
function signJwt(header: Record<string, unknown>, claims: Claims, key: KeyObject): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`
  const signature = header['alg'] === 'PS256'
    ? sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
    : sign('sha256', Buffer.from(input), key)
  return `${input}.${signature.toString('base64url')}`
}

const b64url = (hex: string): string => Buffer.from(hex, 'hex').toString('base64url')

describe('certificate client assertions', { timeout: 15000 }, () => {
  let emulator: Emulator
  let client: TestClient
  let registered: TestCertificate
  let other: TestCertificate
  let ca: TestCertificate
  let chained: TestCertificate

  const audience = (tenant: string = fixture.tenantId, path = 'oauth2/v2.0/token') => `${emulator.url}/${tenant}/${path}`
  const now = () => Math.floor(Date.now() / 1000)
  const claims = (overrides: Claims = {}): Claims => ({
    aud: audience(), iss: clientId, sub: clientId, jti: randomUUID(), iat: now(), nbf: now(), exp: now() + 600, ...overrides,
  })
  const header = (certificate: TestCertificate = registered, overrides: Record<string, unknown> = {}) => ({
    alg: 'RS256', typ: 'JWT', 'x5t#S256': b64url(certificate.sha256Hex), ...overrides,
  })
  const post = (assertion: string, fields: Record<string, string | undefined> = {}) => {
    const form: Record<string, string | undefined> = {
      grant_type: 'client_credentials', client_id: clientId, scope: fixture.graphScope,
      client_assertion_type: assertionType, client_assertion: assertion, ...fields,
    }
    return client.postForm(tokenPath(), Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => entry[1] !== undefined)))
  }
  const expectToken = async (assertion: string, fields: Record<string, string | undefined> = {}) => {
    const response = await post(assertion, fields)
    expect(response.status, response.text).toBe(200)
    return decodeJwt(String(response.json()['access_token']))
  }

  beforeAll(async () => {
    emulator = await startEmulator()
    client = createTestClient(emulator)
    registered = createTestCertificate({ name: 'registered' })
    other = createTestCertificate({ name: 'not registered' })
    ca = createTestCertificate({ name: 'EntraAuth test issuing CA', ca: true })
    chained = createTestCertificate({ name: 'app.contoso.example', issuer: ca })
    emulator.registerCertificate({ tenantId: fixture.tenantId, clientId, certificate: registered.pem })
    emulator.registerCertificate({ tenantId: fixture.tenantId, clientId, subjectName: chained.subject, issuer: ca.base64 })
  })
  afterAll(async () => {
    await client?.close()
    await emulator?.close()
  })
  beforeEach(() => emulator.reset())

  describe('accepts what the libraries send', () => {
    it('RS256 with x5t#S256 (EntraAuth), and marks the token appidacr 2', async () => {
      const token = await expectToken(signJwt(header(), claims(), registered.privateKey))
      expect(token).toMatchObject({ appid: clientId, appidacr: '2', roles: ['User.Read.All'] })
    })

    it('RS256 with only the SHA-1 x5t (older registrations, msal-node fromCertificate)', async () => {
      await expectToken(signJwt({ alg: 'RS256', typ: 'JWT', x5t: b64url(registered.sha1Hex) }, claims(), registered.privateKey))
    })

    it('PS256 (msal-node with a SHA-256 thumbprint, MSAL.NET, MSAL Python)', async () => {
      await expectToken(signJwt(header(registered, { alg: 'PS256' }), claims(), registered.privateKey))
    })

    it('MSAL.NET: nbf and exp as strings, no iat, x5c as one string', async () => {
      const { iat: _, ...rest } = claims()
      const assertion = signJwt(header(registered, { x5c: registered.base64 }), { ...rest, nbf: String(now()), exp: String(now() + 600) }, registered.privateKey)
      await expectToken(assertion)
      expect(emulator.requests.at(-1)?.assertion).toEqual({ alg: 'RS256', x5t: false, x5tS256: true, x5c: [registered.sha1Hex] })
    })

    it('MSAL Python: float exp and iat, no nbf', async () => {
      const { nbf: _, ...rest } = claims()
      await expectToken(signJwt(header(), { ...rest, iat: Date.now() / 1000, exp: Date.now() / 1000 + 600 }, registered.privateKey))
    })

    it('the same assertion twice (no jti replay check), and without client_id in the body', async () => {
      const assertion = signJwt(header(), claims(), registered.privateKey)
      await expectToken(assertion)
      await expectToken(assertion, { client_id: undefined })
    })

    it('an audience with the tenant domain, the v1 path, or localhost for 127.0.0.1', async () => {
      await expectToken(signJwt(header(), claims({ aud: audience(fixture.domain) }), registered.privateKey))
      await expectToken(signJwt(header(), claims({ aud: audience(fixture.tenantId, 'oauth2/token') }), registered.privateKey))
      await expectToken(signJwt(header(), claims({ aud: audience().replace('127.0.0.1', 'localhost') }), registered.privateKey))
    })

    it('a lifetime that ended within the clock skew', async () => {
      await expectToken(signJwt(header(), claims({ nbf: now() - 700, exp: now() - 60 }), registered.privateKey))
    })

    it('subject name and issuer: an x5c chain to the trusted CA, for a certificate that is not uploaded', async () => {
      await expectToken(signJwt(header(chained, { x5c: [chained.base64, ca.base64] }), claims(), chained.privateKey))
      await expectToken(signJwt(header(chained, { x5c: [chained.base64] }), claims(), chained.privateKey))
    })
  })

  describe('refuses as Entra does', () => {
    it('a certificate that is not registered: AADSTS700027 with its SHA-1 thumbprint', async () => {
      const response = await post(signJwt(header(other, { x5t: b64url(other.sha1Hex) }), claims(), other.privateKey))
      const body = expectStsError(response, 401, 'invalid_client', 700027)
      expect(body['error_description']).toContain('is not registered on application')
      expect(body['error_description']).toContain(`Thumbprint of key used by client: '${other.sha1Hex}'`)
    })

    it('a signature by another key: AADSTS700027 signature mismatch', async () => {
      const body = expectStsError(await post(signJwt(header(), claims(), other.privateKey)), 401, 'invalid_client', 700027)
      expect(body['error_description']).toContain('did not match the expected signature value')
    })

    it('a PS256 header over an RS256 signature: AADSTS700027', async () => {
      const assertion = signJwt(header(), claims(), registered.privateKey)
      const [, payload, signature] = assertion.split('.')
      const forged = `${Buffer.from(JSON.stringify(header(registered, { alg: 'PS256' }))).toString('base64url')}.${payload}.${signature}`
      expectStsError(await post(forged), 401, 'invalid_client', 700027)
    })

    it.each(['HS256', 'none', 'ES256'])('alg %s: AADSTS50027', async (alg) => {
      const response = await post(signJwt(header(registered, { alg }), claims(), registered.privateKey))
      expect(expectStsError(response, 401, 'invalid_client', 50027)['error_description']).toContain(`'${alg}'`)
    })

    it('no thumbprint in the header: AADSTS50027', async () => {
      const body = expectStsError(await post(signJwt({ alg: 'RS256', typ: 'JWT' }, claims(), registered.privateKey)), 401, 'invalid_client', 50027)
      expect(body['error_description']).toContain('No certificate thumbprint')
    })

    it('not a JWT: AADSTS50027', async () => {
      expectStsError(await post('not.a-jwt'), 401, 'invalid_client', 50027)
    })

    it('expired beyond the skew: AADSTS700024 with the times', async () => {
      const response = await post(signJwt(header(), claims({ nbf: now() - 1200, exp: now() - 400 }), registered.privateKey))
      const body = expectStsError(response, 401, 'invalid_client', 700024)
      expect(body['error_description']).toMatch(/Current time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.0000000Z, assertion valid from .*, expiry time of assertion /)
    })

    it('an emulator clock set 15 minutes ahead (the client\'s clock is behind): AADSTS700024; set right again by reset', async () => {
      const assertion = signJwt(header(), claims(), registered.privateKey)
      expect((await client.postJson('/_emulator/clock', { offsetSeconds: 900 })).status).toBe(204)
      expectStsError(await post(assertion), 401, 'invalid_client', 700024)
      expect((await client.postJson('/_emulator/clock', { offsetSeconds: 'soon' })).status).toBe(400)
      emulator.reset()
      await expectToken(assertion)
      emulator.setClockOffset(-900)
      expectStsError(await post(assertion), 401, 'invalid_client', 700024)
    })

    it('not yet valid beyond the skew, or without exp: AADSTS700024', async () => {
      expectStsError(await post(signJwt(header(), claims({ nbf: now() + 900 }), registered.privateKey)), 401, 'invalid_client', 700024)
      const { exp: _, ...noExp } = claims()
      expectStsError(await post(signJwt(header(), noExp, registered.privateKey)), 401, 'invalid_client', 700024)
    })

    it('iss and sub that differ: AADSTS50048', async () => {
      expectStsError(await post(signJwt(header(), claims({ sub: fixture.clientId }), registered.privateKey)), 401, 'invalid_client', 50048)
    })

    it('iss = sub of another app than client_id: AADSTS700021', async () => {
      const response = await post(signJwt(header(), claims({ iss: fixture.clientId, sub: fixture.clientId }), registered.privateKey))
      expectStsError(response, 401, 'invalid_client', 700021)
    })

    it('an audience of another tenant or host: AADSTS50012', async () => {
      expectStsError(await post(signJwt(header(), claims({ aud: audience(fixture.otherTenantId) }), registered.privateKey)), 401, 'invalid_client', 50012)
      const microsoft = `https://login.microsoftonline.com/${fixture.tenantId}/oauth2/v2.0/token`
      expectStsError(await post(signJwt(header(), claims({ aud: microsoft }), registered.privateKey)), 401, 'invalid_client', 50012)
    })

    it('an x5c chain to an untrusted CA, or a subject the app does not trust: AADSTS700027', async () => {
      const otherCa = createTestCertificate({ name: 'EntraAuth test other CA', ca: true })
      const stranger = createTestCertificate({ name: 'app.contoso.example', issuer: otherCa })
      expectStsError(await post(signJwt(header(stranger, { x5c: [stranger.base64, otherCa.base64] }), claims(), stranger.privateKey)), 401, 'invalid_client', 700027)
      const wrongName = createTestCertificate({ name: 'other.contoso.example', issuer: ca })
      expectStsError(await post(signJwt(header(wrongName, { x5c: [wrongName.base64, ca.base64] }), claims(), wrongName.privateKey)), 401, 'invalid_client', 700027)
    })

    it('a trusted chain without x5c: AADSTS700027', async () => {
      expectStsError(await post(signJwt(header(chained), claims(), chained.privateKey)), 401, 'invalid_client', 700027)
    })

    it('a missing or unknown client_assertion_type: AADSTS900144', async () => {
      const assertion = signJwt(header(), claims(), registered.privateKey)
      expectStsError(await post(assertion, { client_assertion_type: undefined }), 400, 'invalid_request', 900144)
      expectStsError(await post(assertion, { client_assertion_type: 'urn:example:other' }), 400, 'invalid_request', 900144)
    })

    it('an assertion for a public client: AADSTS700025', async () => {
      const response = await post(signJwt(header(), claims({ iss: fixture.publicClientId, sub: fixture.publicClientId }), registered.privateKey), { client_id: fixture.publicClientId })
      expectStsError(response, 401, 'invalid_client', 700025)
    })

    it('a certificate registered on another app: AADSTS700027', async () => {
      const assertion = signJwt(header(), claims({ iss: fixture.clientId, sub: fixture.clientId }), registered.privateKey)
      expectStsError(await post(assertion, { client_id: fixture.clientId }), 401, 'invalid_client', 700027)
    })
  })

  describe('admin API', () => {
    it('registers a certificate by POST /_emulator/certificates and answers its thumbprint', async () => {
      const fresh = createTestCertificate({ name: 'uploaded over http' })
      const response = await client.postJson('/_emulator/certificates', { tenantId: fixture.tenantId, clientId, certificate: fresh.base64 })
      expect(response.status).toBe(200)
      expect(response.json()).toEqual({ thumbprint: createHash('sha1').update(fresh.x509.raw).digest('hex').toUpperCase() })
      await expectToken(signJwt(header(fresh), claims(), fresh.privateKey))
    })

    it('refuses a registration that is not a certificate, or for an unknown app, with 400', async () => {
      expect((await client.postJson('/_emulator/certificates', { tenantId: fixture.tenantId, clientId, certificate: 'bm90IGEgY2VydA==' })).status).toBe(400)
      expect((await client.postJson('/_emulator/certificates', { tenantId: fixture.tenantId, clientId: randomUUID(), certificate: registered.base64 })).status).toBe(400)
      expect((await client.postJson('/_emulator/certificates', { tenantId: fixture.tenantId, clientId })).status).toBe(400)
    })
  })
})
