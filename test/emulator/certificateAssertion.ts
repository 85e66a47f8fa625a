// Validates a certificate client assertion as Entra does (docs/entra-protocol.md §3.2 "What each library actually sends"): key by thumbprint or chain, alg, signature, claims, time.
import { constants, verify, X509Certificate, type KeyObject } from 'node:crypto'
import type { AppCertificates, SubjectNameTrust } from './certificates.js'
import { digests } from './certificates.js'
import type { DirectoryApp, DirectoryTenant } from './directory.js'
import { aadsts } from './errors.js'

/** Clock skew allowed on `nbf` and `exp` (the doc leaves the exact value open; five minutes is common). */
export const assertionSkewSeconds = 300

export interface AssertionCheck {
  readonly app: DirectoryApp
  readonly tenant: DirectoryTenant
  /** `https://127.0.0.1:<port>` as the client addressed it. */
  readonly baseUrl: string
  /** The emulator's URL; the other of 127.0.0.1/localhost is accepted as a host alias. */
  readonly emulatorUrl: string
  readonly credentials: AppCertificates
  readonly now: Date
}

interface DecodedAssertion {
  readonly header: Record<string, unknown>
  readonly claims: Record<string, unknown>
  readonly signingInput: string
  readonly signature: Buffer
}

/** What the request log keeps of an assertion's header: no signature, no claims. */
export interface AssertionFacts {
  readonly alg?: string
  readonly x5t: boolean
  readonly x5tS256: boolean
  /** SHA-1 hex of each certificate in `x5c`. */
  readonly x5c: string[]
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

export function decodeAssertion(assertion: string): DecodedAssertion | undefined {
  const parts = assertion.split('.')
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) return undefined
  const [headerPart = '', claimsPart = '', signaturePart = ''] = parts
  const header = decodePart(headerPart)
  const claims = decodePart(claimsPart)
  if (header === undefined || claims === undefined) return undefined
  return { header, claims, signingInput: `${headerPart}.${claimsPart}`, signature: Buffer.from(signaturePart, 'base64url') }
}

/** `x5c` as MSAL.NET (one string) or msal-node (an array) sends it; undefined if absent or not certificates. */
function chainOf(header: Record<string, unknown>): X509Certificate[] | undefined {
  const value = header['x5c']
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined
  if (items === undefined || items.length === 0) return undefined
  try {
    return items.map((item) => new X509Certificate(Buffer.from(String(item), 'base64')))
  } catch {
    return undefined
  }
}

export function assertionFacts(assertion: string): AssertionFacts | undefined {
  const decoded = decodeAssertion(assertion)
  if (decoded === undefined) return undefined
  const { header } = decoded
  return {
    ...(typeof header['alg'] === 'string' ? { alg: header['alg'] } : {}),
    x5t: typeof header['x5t'] === 'string',
    x5tS256: typeof header['x5t#S256'] === 'string',
    x5c: (chainOf(header) ?? []).map((certificate) => digests(certificate).sha1.toString('hex').toUpperCase()),
  }
}

/** NumericDate as an integer, a float (MSAL Python) or a numeric string (MSAL.NET). */
function numericDate(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) return Number(value)
  return undefined
}

/** `2026-11-26T05:00:00.0000000Z`, the service's format in AADSTS700024. */
function serviceTime(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, '.0000000Z')
}

function thumbprintBytes(header: Record<string, unknown>, name: 'x5t' | 'x5t#S256'): Buffer | undefined {
  const value = header[name]
  return typeof value === 'string' && /^[A-Za-z0-9_-]+$/.test(value) ? Buffer.from(value, 'base64url') : undefined
}

/** A chain in `x5c` that ends at a CA the app trusts for the leaf's subject (subject name + issuer auth). */
function trustedByChain(chain: X509Certificate[], trusts: readonly SubjectNameTrust[], now: Date): X509Certificate | undefined {
  const [leaf] = chain
  if (leaf === undefined) return undefined
  const linked = chain.every((certificate, index) => {
    const next = chain[index + 1]
    return next === undefined || (certificate.checkIssued(next) && certificate.verify(next.publicKey))
  })
  const inDate = chain.every((certificate) => new Date(certificate.validFrom) <= now && now <= new Date(certificate.validTo))
  if (!linked || !inDate) return undefined
  const last = chain[chain.length - 1] as X509Certificate
  const trusted = trusts.some((trust) =>
    trust.subject === leaf.subject && (last.fingerprint256 === trust.issuer.fingerprint256 || (last.checkIssued(trust.issuer) && last.verify(trust.issuer.publicKey))))
  return trusted ? leaf : undefined
}

/** Finds the verification key: a registered certificate by x5t#S256 or x5t, else a trusted x5c chain. */
function findKey(header: Record<string, unknown>, check: AssertionCheck): { key: KeyObject; thumbprint: string } {
  const sha256 = thumbprintBytes(header, 'x5t#S256')
  const sha1 = thumbprintBytes(header, 'x5t')
  const chain = chainOf(header)
  if (sha256 === undefined && sha1 === undefined && chain === undefined) throw aadsts.assertionWithoutThumbprint()
  const shown = (sha1 ?? sha256 ?? (chain?.[0] === undefined ? Buffer.alloc(0) : digests(chain[0]).sha1)).toString('hex').toUpperCase()
  const registered = check.credentials.certificates.find((candidate) =>
    (sha256 !== undefined && candidate.sha256.equals(sha256)) || (sha1 !== undefined && candidate.sha1.equals(sha1)))
  if (registered !== undefined) return { key: registered.x509.publicKey, thumbprint: shown }
  if (chain !== undefined) {
    const [leaf] = chain
    const leafDigests = leaf === undefined ? undefined : digests(leaf)
    const namesLeaf = leafDigests !== undefined
      && (sha256 === undefined || leafDigests.sha256.equals(sha256)) && (sha1 === undefined || leafDigests.sha1.equals(sha1))
    const trusted = namesLeaf ? trustedByChain(chain, check.credentials.trusts, check.now) : undefined
    if (trusted !== undefined) return { key: trusted.publicKey, thumbprint: shown }
  }
  throw aadsts.certificateNotRegistered(shown, check.app.clientId)
}

function signatureValid(decoded: DecodedAssertion, alg: 'RS256' | 'PS256', key: KeyObject): boolean {
  const data = Buffer.from(decoded.signingInput)
  return alg === 'RS256'
    ? verify('sha256', data, key, decoded.signature)
    : verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, decoded.signature)
}

/** The token endpoint URLs an assertion may name: this host or its loopback alias, tenant id or domain, v2 or v1 path. */
function acceptedAudiences(check: AssertionCheck): Set<string> {
  const hosts = new Set([check.baseUrl, check.emulatorUrl, check.emulatorUrl.replace('//127.0.0.1:', '//localhost:')])
  const tenants = [check.tenant.id, ...check.tenant.domains]
  const audiences = new Set<string>()
  for (const host of hosts) {
    for (const tenant of tenants) {
      for (const path of ['oauth2/v2.0/token', 'oauth2/token']) audiences.add(`${host}/${tenant}/${path}`.toLowerCase())
    }
  }
  return audiences
}

function checkClaims(claims: Record<string, unknown>, check: AssertionCheck): void {
  const { iss, sub, aud } = claims
  if (iss !== sub) throw aadsts.assertionSubjectMismatch()
  if (typeof iss !== 'string' || iss.toLowerCase() !== check.app.clientId.toLowerCase()) throw aadsts.assertionClientMismatch()
  const accepted = acceptedAudiences(check)
  const audiences = Array.isArray(aud) ? aud : [aud]
  if (!audiences.some((value) => typeof value === 'string' && accepted.has(value.toLowerCase()))) throw aadsts.assertionAudienceMismatch()
  const now = check.now.getTime() / 1000
  const notBefore = numericDate(claims['nbf']) ?? 0
  const expiry = numericDate(claims['exp']) ?? 0
  if (now + assertionSkewSeconds < notBefore || now - assertionSkewSeconds >= expiry) {
    throw aadsts.assertionOutsideTimeRange(serviceTime(now), serviceTime(notBefore), serviceTime(expiry))
  }
}

/**
 * Checks a certificate assertion for the app; throws the AADSTS error Entra answers with. `jti` is not
 * checked for reuse: msal-node and MSAL Python resend one assertion for up to ten minutes.
 */
export function verifyCertificateAssertion(assertion: string, check: AssertionCheck): void {
  const decoded = decodeAssertion(assertion)
  if (decoded === undefined) throw aadsts.malformedAssertion()
  const alg = decoded.header['alg']
  if (alg !== 'RS256' && alg !== 'PS256') throw aadsts.unsupportedAssertionAlgorithm(String(alg))
  const { key, thumbprint } = findKey(decoded.header, check)
  if (key.asymmetricKeyType !== 'rsa' || !signatureValid(decoded, alg, key)) throw aadsts.invalidAssertionSignature(thumbprint)
  checkClaims(decoded.claims, check)
}
