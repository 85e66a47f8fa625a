// Turns the certificate fields of a request into X.509 certificates and an RSA private key, with clear errors.

import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { ConfigurationError } from '../errors.js'
import { protocolError } from '../protocol/protocolError.js'
import { describeReadFailure, FILE_LIMITS, formatBytes } from '../io/readBoundedFile.js'
import { isPem, splitPem } from './pem.js'
import { describeCertificate } from './thumbprint.js'

/** A certificate ready to sign with: leaf first, then the rest of the chain. */
export interface CertificateCredential {
  chain: [X509Certificate, ...X509Certificate[]]
  /** Absent when the wrapper signs (the key stays in .NET). */
  privateKey?: KeyObject
}

export interface CertificateSource {
  certificates?: string[]
  privateKey?: string
  certificatePath?: string
  certificatePassword?: string
}

export interface CertificateFileDeps {
  /** Reads a regular file of at most `maxBytes` (readBoundedFile). */
  readFile(path: string, maxBytes: number): Promise<Uint8Array>
  /** Registers key material read from a file, so the logger removes it from any line. */
  addSecret(value: string): void
}

/** Entra and jose both refuse RSA keys below this size. */
const MIN_RSA_BITS = 2048

/** Checks that the certificate carries an RSA key Entra accepts for client assertions. */
export function requireRsa(certificate: X509Certificate): void {
  const key = certificate.publicKey
  if (key.asymmetricKeyType !== 'rsa') {
    throw new ConfigurationError(
      `The certificate ${describeCertificate(certificate)} has a ${key.asymmetricKeyType?.toUpperCase() ?? 'non-RSA'} key; client assertions for Entra need an RSA key.`,
      'Create an RSA certificate (2048 bits or more), e.g. New-SelfSignedCertificate -KeyAlgorithm RSA -KeyLength 2048, and upload it to the app registration.',
    )
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < MIN_RSA_BITS) {
    throw new ConfigurationError(
      `The certificate ${describeCertificate(certificate)} has a ${bits}-bit RSA key; Entra needs ${MIN_RSA_BITS} bits or more.`,
      'Create a new certificate with a 2048-bit (or larger) RSA key and upload it to the app registration.',
    )
  }
}

function mismatch(certificate: X509Certificate, where: string): ConfigurationError {
  return new ConfigurationError(
    `The private key ${where} does not belong to the certificate ${describeCertificate(certificate)}.`,
    'Use the private key that was created together with this certificate (a PFX file holds both), or the certificate that belongs to this key.',
  )
}

function fromWrapper(certificates: string[], privateKeyPem: string | undefined): CertificateCredential {
  let chain: X509Certificate[]
  try {
    chain = certificates.map((der) => new X509Certificate(Buffer.from(der, 'base64')))
  } catch (cause) {
    throw protocolError("A certificate in 'certificates' is not DER.", cause)
  }
  const [leaf, ...rest] = chain
  if (leaf === undefined) throw protocolError("'certificates' is empty.")
  requireRsa(leaf)
  if (privateKeyPem === undefined) return { chain: [leaf, ...rest] }
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey({ key: privateKeyPem, format: 'pem' })
  } catch (cause) {
    throw protocolError("'privateKey' is not a PKCS#8 PEM key.", cause)
  }
  if (!leaf.checkPrivateKey(privateKey)) throw mismatch(leaf, 'given with it')
  return { chain: [leaf, ...rest], privateKey }
}

function isEncrypted(keyBlock: string): boolean {
  return keyBlock.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /^Proc-Type:\s*4,ENCRYPTED/m.test(keyBlock)
}

function readKey(keyBlock: string, path: string, password: string | undefined): KeyObject {
  const encrypted = isEncrypted(keyBlock)
  if (encrypted && (password === undefined || password === '')) {
    throw new ConfigurationError(`The private key in '${path}' is encrypted, and no password was given.`, 'Pass the key\'s password with -CertificatePassword.')
  }
  try {
    return createPrivateKey({ key: keyBlock, format: 'pem', ...(encrypted ? { passphrase: password } : {}) })
  } catch (cause) {
    if (encrypted) {
      throw new ConfigurationError(`The password for the private key in '${path}' is wrong.`, 'Pass the password the key was encrypted with in -CertificatePassword.')
    }
    const code = (cause as { code?: unknown }).code
    throw new ConfigurationError(
      `The private key in '${path}' could not be read${typeof code === 'string' ? ` (${code})` : ''}.`,
      'Use a PEM private key in PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 (BEGIN RSA PRIVATE KEY) or encrypted PKCS#8 (BEGIN ENCRYPTED PRIVATE KEY) form.',
    )
  }
}

async function fromPemFile(path: string, password: string | undefined, deps: CertificateFileDeps): Promise<CertificateCredential> {
  let text: string
  try {
    text = Buffer.from(await deps.readFile(path, FILE_LIMITS.certificate)).toString('utf8')
  } catch (cause) {
    const code = (cause as { code?: unknown }).code
    if (code === 'ENOENT') throw new ConfigurationError(`The certificate file '${path}' was not found.`, 'Check -CertificatePath.')
    throw new ConfigurationError(
      `The certificate file '${path}' could not be read: ${describeReadFailure(cause)}.`,
      `Check -CertificatePath: a regular PEM or PFX file of at most ${formatBytes(FILE_LIMITS.certificate)} that this account may read.`,
    )
  }
  if (!isPem(text)) throw new ConfigurationError(`'${path}' is not a PEM file.`, 'Pass a PFX/P12 file, or a PEM file with the certificate and its private key.')
  const pem = splitPem(text)
  for (const block of pem.privateKeys) deps.addSecret(block)
  if (pem.certificates.length === 0) {
    throw new ConfigurationError(
      `'${path}' holds no certificate (no BEGIN CERTIFICATE block).`,
      'Put the certificate and its private key in one PEM file (e.g. cat app.crt app.key > app.pem), or pass a PFX file.',
    )
  }
  const [keyBlock, ...otherKeys] = pem.privateKeys
  if (keyBlock === undefined) {
    throw new ConfigurationError(
      `'${path}' holds a certificate but no private key.`,
      'Add the private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY) to the PEM file, or pass a PFX file with its key.',
    )
  }
  if (otherKeys.length > 0) throw new ConfigurationError(`'${path}' holds ${pem.privateKeys.length} private keys.`, 'Keep only the private key of the certificate in the file.')
  let certificates: X509Certificate[]
  try {
    certificates = pem.certificates.map((der) => new X509Certificate(der))
  } catch (cause) {
    throw new ConfigurationError(`A certificate in '${path}' is damaged.`, 'Export the certificate again in PEM (Base-64) form.', cause)
  }
  const privateKey = readKey(keyBlock, path, password)
  const leafIndex = certificates.findIndex((certificate) => certificate.publicKey.asymmetricKeyType === privateKey.asymmetricKeyType && certificate.checkPrivateKey(privateKey))
  const leaf = certificates[leafIndex]
  if (leaf === undefined) throw mismatch(certificates[0] as X509Certificate, `in '${path}'`)
  requireRsa(leaf)
  return { chain: [leaf, ...certificates.filter((_, index) => index !== leafIndex)], privateKey }
}

/**
 * Loads the certificate of a request: from the wrapper's DER and PKCS#8 key, or from a PEM file.
 * @throws ConfigurationError for a missing file, no certificate, no or more than one key, a wrong or missing
 *   password, a key that does not belong to the certificate, or a key that is not RSA of 2048 bits or more
 */
export async function loadCertificateCredential(source: CertificateSource, deps: CertificateFileDeps): Promise<CertificateCredential> {
  if (source.certificatePath !== undefined) return fromPemFile(source.certificatePath, source.certificatePassword, deps)
  if (source.certificates === undefined) throw protocolError("The request has neither 'certificates' nor 'certificatePath'.")
  return fromWrapper(source.certificates, source.privateKey)
}
