import { describe, expect, it } from 'vitest'
import { splitPem } from '../../../src/certificate/pem.js'
import { FILE_LIMITS } from '../../../src/io/readBoundedFile.js'
import { createTestCertificate } from '../../emulator/testCertificates.js'

const leaf = createTestCertificate({ name: 'pem unit leaf' })

describe('splitPem', () => {
  it('finding 7: a file of BEGIN lines as large as the limit is split in linear time', () => {
    const line = '-----BEGIN CERTIFICATE-----\n'
    const text = line.repeat(Math.floor(FILE_LIMITS.certificate / line.length))
    const started = performance.now()
    expect(splitPem(text)).toEqual({ certificates: [], privateKeys: [] })
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('finds the certificate and key between other text, CRLF line ends and a BEGIN line left open', () => {
    const text = [
      'Bag Attributes',
      '-----BEGIN CERTIFICATE-----',
      'junk',
      leaf.pem.trim(),
      leaf.keyPem.trim(),
      'trailer',
    ].join('\r\n')
    const pem = splitPem(text)
    expect(pem.certificates.map((der) => der.equals(Buffer.from(leaf.base64, 'base64')))).toEqual([true])
    expect(pem.privateKeys).toEqual([leaf.keyPem.trim().replace(/\r?\n/g, '\n')])
  })
})
