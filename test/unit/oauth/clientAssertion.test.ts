import { constants, sign, X509Certificate } from 'node:crypto'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import jsonwebtoken from 'jsonwebtoken'
import { describe, expect, it } from 'vitest'
import {
  ASSERTION_LIFETIME_SEC,
  checkSignedAssertion,
  signClientAssertion,
  unsignedClientAssertion,
  type AssertionInput,
} from '../../../src/oauth/clientAssertion.js'
import { createTestCertificate } from '../../emulator/testCertificates.js'
import { CLIENT_ID, LOGIN, TOKEN_PATH } from '../helpers.js'

const ca = createTestCertificate({ name: 'assertion CA', ca: true })
const leaf = createTestCertificate({ name: 'assertion leaf', issuer: ca })
const endpoint = `${LOGIN}${TOKEN_PATH}`
const NOW = 1_800_000_000_000

const input = (overrides: Partial<AssertionInput> = {}): AssertionInput => ({
  clientId: CLIENT_ID,
  audience: endpoint,
  chain: [leaf.x509, ca.x509],
  algorithm: 'RS256',
  sendCertificateChain: false,
  nowMs: NOW,
  ...overrides,
})

describe('signClientAssertion', () => {
  it('has the header and claims of docs/entra-protocol.md §3.1 "Documented format"', async () => {
    const jwt = await signClientAssertion(input(), leaf.privateKey)
    expect(decodeProtectedHeader(jwt)).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      x5t: Buffer.from(leaf.sha1Hex, 'hex').toString('base64url'),
      'x5t#S256': Buffer.from(leaf.sha256Hex, 'hex').toString('base64url'),
    })
    const claims = decodeJwt(jwt)
    expect(claims).toEqual({ aud: endpoint, iss: CLIENT_ID, sub: CLIENT_ID, jti: expect.stringMatching(/^[0-9a-f-]{36}$/), iat: NOW / 1000, nbf: NOW / 1000, exp: NOW / 1000 + 600 })
    expect(ASSERTION_LIFETIME_SEC).toBeLessThanOrEqual(600)
  })

  it('uses a fresh jti each time', async () => {
    const [a, b] = await Promise.all([signClientAssertion(input(), leaf.privateKey), signClientAssertion(input(), leaf.privateKey)])
    expect(decodeJwt(a!).jti).not.toBe(decodeJwt(b!).jti)
  })

  it('adds x5c (base64 DER, leaf first) only when asked', async () => {
    const jwt = await signClientAssertion(input({ sendCertificateChain: true }), leaf.privateKey)
    expect(decodeProtectedHeader(jwt).x5c).toEqual([leaf.base64, ca.base64])
    expect(new X509Certificate(Buffer.from(decodeProtectedHeader(jwt).x5c![0]!, 'base64')).fingerprint256).toBe(leaf.x509.fingerprint256)
  })

  it.each(['RS256', 'PS256'] as const)('verifies with an independent library (jsonwebtoken) for %s', async (algorithm) => {
    const jwt = await signClientAssertion(input({ algorithm, nowMs: Date.now() }), leaf.privateKey)
    const verified = jsonwebtoken.verify(jwt, leaf.x509.publicKey, { algorithms: [algorithm], audience: endpoint, issuer: CLIENT_ID, subject: CLIENT_ID, complete: true })
    expect(verified.header.alg).toBe(algorithm)
    expect(() => jsonwebtoken.verify(jwt, createTestCertificate().x509.publicKey, { algorithms: [algorithm] })).toThrow(/invalid signature/)
  })
})

describe('unsignedClientAssertion and checkSignedAssertion', () => {
  /** Signs as the PowerShell wrapper does with .NET: PKCS#1 v1.5 or PSS (salt = hash length) over the signing input. */
  const signLikeDotNet = (signingInput: string, algorithm: 'RS256' | 'PS256', key = leaf.privateKey) =>
    sign('sha256', Buffer.from(signingInput), algorithm === 'RS256' ? key : { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString('base64url')

  it.each(['RS256', 'PS256'] as const)('gives header.payload that, signed outside the core, is a valid %s assertion', async (algorithm) => {
    const prepared = unsignedClientAssertion(input({ algorithm, nowMs: Date.now(), sendCertificateChain: true }))
    const jwt = `${prepared.signingInput}.${signLikeDotNet(prepared.signingInput, algorithm)}`
    await expect(checkSignedAssertion(jwt, { clientId: CLIENT_ID, audience: endpoint, certificate: leaf.x509, nowMs: Date.now() })).resolves.toBeUndefined()
    expect(jsonwebtoken.verify(jwt, leaf.x509.publicKey, { algorithms: [algorithm], audience: endpoint })).toMatchObject({ iss: CLIENT_ID })
    expect(prepared.algorithm).toBe(algorithm)
    expect(Date.parse(prepared.expiresOn) - Date.now()).toBeLessThanOrEqual(600_000)
  })

  it('refuses a signature by another key: key and certificate do not match', async () => {
    const prepared = unsignedClientAssertion(input({ nowMs: Date.now() }))
    const jwt = `${prepared.signingInput}.${signLikeDotNet(prepared.signingInput, 'RS256', createTestCertificate().privateKey)}`
    await expect(checkSignedAssertion(jwt, { clientId: CLIENT_ID, audience: endpoint, certificate: leaf.x509, nowMs: Date.now() })).rejects.toMatchObject({
      code: 'ERR_INVALID_REQUEST',
      message: expect.stringMatching(/key and certificate do not match/),
    })
  })

  it.each([
    ['another audience', { audience: `${LOGIN}/other/oauth2/v2.0/token` }, /is for '/],
    ['another client', { clientId: '00000000-0000-0000-0000-000000000000' }, /another client id/],
    // 601 s after the assertion was made, counted when the test runs (not when the table is built: under load the two differ).
    ['an expired one', { laterMs: 601_000 }, /has expired/],
    ['another certificate', { certificate: ca.x509 }, /names another certificate/],
  ])('refuses %s', async (_, { laterMs = 0, ...check }: { laterMs?: number } & Record<string, unknown>, message) => {
    const madeAt = Date.now()
    const prepared = unsignedClientAssertion(input({ nowMs: madeAt }))
    const jwt = `${prepared.signingInput}.${signLikeDotNet(prepared.signingInput, 'RS256')}`
    await expect(checkSignedAssertion(jwt, { clientId: CLIENT_ID, audience: endpoint, certificate: leaf.x509, nowMs: madeAt + laterMs, ...check })).rejects.toMatchObject({
      message: expect.stringMatching(message),
    })
  })
})
