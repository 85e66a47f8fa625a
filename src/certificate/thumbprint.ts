// A certificate's thumbprints: SHA-1 (what Windows and the portal show) and SHA-256 (x5t#S256), from its DER.

import { createHash, type X509Certificate } from 'node:crypto'

export interface Thumbprints {
  /** Upper-case hex SHA-1, as the portal and Cert:\ show it. */
  sha1Hex: string
  /** base64url SHA-1: the `x5t` header. */
  x5t: string
  /** base64url SHA-256: the `x5t#S256` header. */
  x5tS256: string
}

export function thumbprints(certificate: X509Certificate): Thumbprints {
  const sha1 = createHash('sha1').update(certificate.raw).digest()
  return {
    sha1Hex: sha1.toString('hex').toUpperCase(),
    x5t: sha1.toString('base64url'),
    x5tS256: createHash('sha256').update(certificate.raw).digest('base64url'),
  }
}

/** `CN=app, O=Contoso (thumbprint ABC…)`: how errors and logs name a certificate. */
export function describeCertificate(certificate: X509Certificate): string {
  const subject = certificate.subject.split(/\r?\n/).filter(Boolean).join(', ')
  return `'${subject}' (thumbprint ${thumbprints(certificate).sha1Hex})`
}
