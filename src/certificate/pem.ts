// Splits PEM text into its certificates and private key blocks (RFC 7468); the blocks themselves are parsed by node:crypto.

export interface PemContents {
  /** DER of each CERTIFICATE block, in file order. */
  certificates: Buffer[]
  /** Each private key block as text, armour included: PKCS#8, PKCS#1, encrypted PKCS#8 or OpenSSL's encrypted PKCS#1. */
  privateKeys: string[]
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g

/** True when the text looks like PEM at all (a BEGIN line). */
export function isPem(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]+-----/.test(text)
}

export function splitPem(text: string): PemContents {
  const contents: PemContents = { certificates: [], privateKeys: [] }
  for (const match of text.matchAll(BLOCK)) {
    const [block, label = '', body = ''] = match
    if (label === 'CERTIFICATE') contents.certificates.push(Buffer.from(body.replace(/\s+/g, ''), 'base64'))
    else if (label.endsWith('PRIVATE KEY')) contents.privateKeys.push(block)
  }
  return contents
}
