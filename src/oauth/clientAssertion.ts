// The client assertion JWT for certificate credentials (RFC 7523; docs/entra-protocol.md §3 "Client assertion JWT (client_assertion)"): built, signed with jose, checked.

import { randomUUID, type KeyObject, type X509Certificate } from 'node:crypto'
import { compactVerify, decodeJwt, decodeProtectedHeader, SignJWT, type JWTPayload } from 'jose'
import { thumbprints } from '../certificate/thumbprint.js'
import { ConfigurationError } from '../errors.js'
import type { AssertionAlgorithm } from '../protocol/certificateRequest.js'

/** Lifetime of an assertion; Entra's documentation asks for 10 minutes at most. */
export const ASSERTION_LIFETIME_SEC = 600

export interface AssertionInput {
  clientId: string
  /** The token endpoint URL the assertion is for (`aud`). */
  audience: string
  /** Leaf first; the leaf gives the thumbprints, all of them go in `x5c` when asked for. */
  chain: readonly [X509Certificate, ...X509Certificate[]]
  algorithm: AssertionAlgorithm
  sendCertificateChain: boolean
  /** Epoch milliseconds. */
  nowMs: number
}

/** A type, not an interface, so that it fits jose's header parameters (which have an index signature). */
export type AssertionHeader = {
  alg: AssertionAlgorithm
  typ: 'JWT'
  x5t: string
  'x5t#S256': string
  x5c?: string[]
}

export interface UnsignedAssertion {
  /** `base64url(header).base64url(payload)`: the bytes to sign. */
  signingInput: string
  algorithm: AssertionAlgorithm
  /** ISO 8601 UTC: the assertion must be sent before this. */
  expiresOn: string
}

/** The protected header: both thumbprints (x5t for older registrations), and the chain only when asked. */
export function assertionHeader(input: AssertionInput): AssertionHeader {
  const leaf = thumbprints(input.chain[0])
  const header: AssertionHeader = { alg: input.algorithm, typ: 'JWT', x5t: leaf.x5t, 'x5t#S256': leaf.x5tS256 }
  if (input.sendCertificateChain) header.x5c = input.chain.map((certificate) => certificate.raw.toString('base64'))
  return header
}

/** The claims: aud = token endpoint, iss = sub = client id, a fresh jti, iat = nbf = now, exp = now + 10 min. */
export function assertionClaims(input: AssertionInput): Required<Pick<JWTPayload, 'aud' | 'iss' | 'sub' | 'jti' | 'iat' | 'nbf' | 'exp'>> {
  const now = Math.floor(input.nowMs / 1000)
  return { aud: input.audience, iss: input.clientId, sub: input.clientId, jti: randomUUID(), iat: now, nbf: now, exp: now + ASSERTION_LIFETIME_SEC }
}

/** Signs the assertion with the certificate's private key (jose; PS256 is RSASSA-PSS with a 32-byte salt). */
export async function signClientAssertion(input: AssertionInput, privateKey: KeyObject): Promise<string> {
  return new SignJWT(assertionClaims(input)).setProtectedHeader(assertionHeader(input)).sign(privateKey)
}

/** The assertion without its signature, for the wrapper to sign when the key cannot leave .NET. */
export function unsignedClientAssertion(input: AssertionInput): UnsignedAssertion {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const claims = assertionClaims(input)
  return {
    signingInput: `${encode(assertionHeader(input))}.${encode(claims)}`,
    algorithm: input.algorithm,
    expiresOn: new Date(claims.exp * 1000).toISOString(),
  }
}

export interface SignedAssertionCheck {
  clientId: string
  audience: string
  certificate: X509Certificate
  nowMs: number
}

const notOurs = (what: string, cause?: unknown): ConfigurationError =>
  new ConfigurationError(`The client assertion signed in PowerShell ${what}.`, 'Run the call again; if it keeps failing, run it with -Debug and report the issue.', cause)

/**
 * Checks an assertion the wrapper signed before it is sent: well formed, for this endpoint and client,
 * not expired, and signed by the key of the certificate.
 * @throws ConfigurationError (ERR_INVALID_REQUEST) when it is not; a bad signature means key and certificate do not match
 */
export async function checkSignedAssertion(assertion: string, check: SignedAssertionCheck): Promise<void> {
  let header: ReturnType<typeof decodeProtectedHeader>
  let claims: JWTPayload
  try {
    header = decodeProtectedHeader(assertion)
    claims = decodeJwt(assertion)
  } catch (cause) {
    throw notOurs('is not a JWT', cause)
  }
  if (header['x5t#S256'] !== thumbprints(check.certificate).x5tS256) throw notOurs('names another certificate')
  if (claims.aud !== check.audience) throw notOurs(`is for '${String(claims.aud)}', not for ${check.audience}`)
  if (claims.iss !== check.clientId || claims.sub !== check.clientId) throw notOurs('is for another client id')
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= check.nowMs) throw notOurs('has expired')
  try {
    await compactVerify(assertion, check.certificate.publicKey, { algorithms: ['RS256', 'PS256'] })
  } catch (cause) {
    throw new ConfigurationError(
      `The signature made with the private key does not verify with the certificate ${thumbprints(check.certificate).sha1Hex}: key and certificate do not match.`,
      'Use the certificate together with the private key that was created for it.',
      cause,
    )
  }
}
