// Splits PEM text into its certificates and private key blocks (RFC 7468); the blocks themselves are parsed by node:crypto.

export interface PemContents {
  /** DER of each CERTIFICATE block, in file order. */
  certificates: Buffer[]
  /** Each private key block as text, armour included: PKCS#8, PKCS#1, encrypted PKCS#8 or OpenSSL's encrypted PKCS#1. */
  privateKeys: string[]
}

/** An encapsulation boundary line; matched against one line at a time, so the work stays linear in the text. */
const BEGIN_LINE = /^-----BEGIN ([A-Z0-9 ]+)-----$/

/** True when the text looks like PEM at all (a BEGIN line). */
export function isPem(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]+-----/.test(text)
}

/**
 * One pass over the lines: a BEGIN line opens a block, the END line of the same label closes it. A BEGIN line inside
 * an open block starts over there (blocks do not nest), so a file of BEGIN lines costs one look at each line.
 */
export function splitPem(text: string): PemContents {
  const contents: PemContents = { certificates: [], privateKeys: [] }
  let label: string | undefined
  let lines: string[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    const begin = BEGIN_LINE.exec(line)
    if (begin !== null) {
      label = begin[1]
      lines = [line]
      continue
    }
    if (label === undefined) continue
    lines.push(line)
    if (line !== `-----END ${label}-----`) continue
    if (label === 'CERTIFICATE') contents.certificates.push(Buffer.from(lines.slice(1, -1).join(''), 'base64'))
    else if (label.endsWith('PRIVATE KEY')) contents.privateKeys.push(lines.join('\n'))
    label = undefined
    lines = []
  }
  return contents
}
