// The certificate flows of the request: their types and the checks of their fields.

import { protocolError } from './protocolError.js'

export const ASSERTION_ALGORITHMS = ['RS256', 'PS256'] as const
export type AssertionAlgorithm = (typeof ASSERTION_ALGORITHMS)[number]

/** How the assertion header looks; shared by every certificate flow. */
export interface AssertionOptions {
  /** Default RS256. */
  algorithm?: AssertionAlgorithm
  /** Adds `x5c` (the certificate and its chain) for subject name and issuer authentication. */
  sendCertificateChain?: boolean
}

/**
 * The core signs. The certificate comes either from the wrapper (PFX file, certificate store or
 * X509Certificate2: `certificates` plus `privateKey`) or from a PEM file the core reads (`certificatePath`).
 */
export interface ClientCertificateRequestFields extends AssertionOptions {
  flow: 'clientCertificate'
  /** Base64 DER, leaf first, then the rest of the chain the wrapper found. */
  certificates?: string[]
  /** PKCS#8 PEM of the leaf's private key. Secret. */
  privateKey?: string
  /** A PEM file with the certificate (and chain) and its private key: PKCS#8, PKCS#1 or encrypted. */
  certificatePath?: string
  /** Password of an encrypted PEM key. Secret. */
  certificatePassword?: string
}

/** Step 1 when the key cannot leave .NET: the core answers with the unsigned assertion (`header.payload`). */
export interface ClientCertificatePrepareRequestFields extends AssertionOptions {
  flow: 'clientCertificatePrepare'
  certificates: string[]
}

/** Step 2: the assertion the wrapper signed; the core checks it against the certificate, then sends it. */
export interface ClientCertificateSignedRequestFields {
  flow: 'clientCertificateSigned'
  certificates: string[]
  /** `header.payload.signature`. Secret. */
  clientAssertion: string
}

export const CERTIFICATE_FLOWS = ['clientCertificate', 'clientCertificatePrepare', 'clientCertificateSigned'] as const

/** Request fields of the certificate flows whose values are secrets. */
export const CERTIFICATE_SECRET_FIELDS = ['privateKey', 'certificatePassword', 'clientAssertion'] as const


function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(item))
}

/**
 * Checks the fields of a certificate flow; values of secrets are never echoed.
 * @throws EntraAuthError ERR_PROTOCOL
 */
export function checkCertificateFields(request: Record<string, unknown>): void {
  for (const field of ['privateKey', 'certificatePath', 'certificatePassword', 'clientAssertion']) {
    if (request[field] !== undefined && typeof request[field] !== 'string') throw protocolError(`'${field}' must be a string.`)
  }
  if (request.algorithm !== undefined && !(ASSERTION_ALGORITHMS as readonly unknown[]).includes(request.algorithm)) {
    throw protocolError(`Unknown algorithm '${String(request.algorithm)}'; expected ${ASSERTION_ALGORITHMS.join(' or ')}.`)
  }
  if (request.sendCertificateChain !== undefined && typeof request.sendCertificateChain !== 'boolean') throw protocolError("'sendCertificateChain' must be true or false.")
  if (request.certificates !== undefined && !isStringArray(request.certificates)) throw protocolError("'certificates' must be a non-empty array of base64 DER certificates.")
  switch (request.flow) {
    case 'clientCertificate': {
      const fromWrapper = request.certificates !== undefined
      const fromFile = request.certificatePath !== undefined
      if (fromWrapper === fromFile) throw protocolError("The clientCertificate flow needs either 'certificates' with 'privateKey', or 'certificatePath'.")
      if (fromWrapper && request.privateKey === undefined) throw protocolError("'certificates' need 'privateKey' in the clientCertificate flow.")
      if (fromFile && request.privateKey !== undefined) throw protocolError("'privateKey' goes with 'certificates', not with 'certificatePath'.")
      return
    }
    case 'clientCertificatePrepare':
      if (request.certificates === undefined) throw protocolError("The clientCertificatePrepare flow needs 'certificates'.")
      return
    case 'clientCertificateSigned':
      if (request.certificates === undefined || typeof request.clientAssertion !== 'string') {
        throw protocolError("The clientCertificateSigned flow needs 'certificates' and 'clientAssertion'.")
      }
      return
    default:
      return
  }
}
