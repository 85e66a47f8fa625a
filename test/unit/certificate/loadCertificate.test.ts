import { describe, expect, it } from 'vitest'
import { loadCertificateCredential, type CertificateFileDeps } from '../../../src/certificate/loadCertificate.js'
import { createTestCertificate } from '../../emulator/testCertificates.js'

const leaf = createTestCertificate({ name: 'unit leaf' })
const ca = createTestCertificate({ name: 'unit CA', ca: true })
const issued = createTestCertificate({ name: 'unit issued', issuer: ca })
const stranger = createTestCertificate({ name: 'unit stranger' })
const pkcs1 = leaf.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
const encryptedPkcs8 = leaf.privateKey
  .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pfx-Pässword' })
  .toString()
const encryptedLegacy = leaf.privateKey
  .export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pfx-Pässword' })
  .toString()

/** Files in memory; records what was registered as secret. */
function files(contents: Record<string, string>): CertificateFileDeps & { secrets: string[] } {
  const secrets: string[] = []
  return {
    secrets,
    addSecret: (value) => secrets.push(value),
    readFile: async (path) => {
      const text = contents[path]
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
      return Buffer.from(text)
    },
  }
}

const fromFile = (text: string, password?: string) =>
  loadCertificateCredential(
    { certificatePath: '/certs/app.pem', ...(password === undefined ? {} : { certificatePassword: password }) },
    files({ '/certs/app.pem': text }),
  )

describe('loadCertificateCredential from a PEM file', () => {
  it.each([
    ['PKCS#8, key first', () => leaf.keyPem + leaf.pem, undefined],
    ['PKCS#1', () => leaf.pem + pkcs1, undefined],
    ['encrypted PKCS#8', () => leaf.pem + encryptedPkcs8, 'pfx-Pässword'],
    ["OpenSSL's encrypted PKCS#1 (Proc-Type)", () => leaf.pem + encryptedLegacy, 'pfx-Pässword'],
  ])('reads %s', async (_, text, password) => {
    const credential = await fromFile(text(), password)
    expect(credential.chain[0].fingerprint256).toBe(leaf.x509.fingerprint256)
    expect(credential.privateKey?.asymmetricKeyType).toBe('rsa')
  })

  it('puts the certificate of the key first, the rest of the chain after it', async () => {
    const credential = await fromFile(ca.pem + issued.pem + issued.keyPem)
    expect(credential.chain.map((certificate) => certificate.subject)).toEqual([issued.subject, ca.subject])
  })

  it('registers the key block as a secret for the logger', async () => {
    const deps = files({ '/k.pem': leaf.pem + leaf.keyPem })
    await loadCertificateCredential({ certificatePath: '/k.pem' }, deps)
    expect(deps.secrets).toEqual([leaf.keyPem.trim()])
  })

  it.each([
    [
      'a file that does not exist',
      () => loadCertificateCredential({ certificatePath: '/nope.pem' }, files({})),
      /'\/nope.pem' was not found.*Fix|was not found/,
    ],
    ['no private key', () => fromFile(leaf.pem), /holds a certificate but no private key/],
    ['no certificate', () => fromFile(leaf.keyPem), /holds no certificate/],
    ['two keys', () => fromFile(leaf.pem + leaf.keyPem + stranger.keyPem), /holds 2 private keys/],
    [
      'an encrypted key without password',
      () => fromFile(leaf.pem + encryptedPkcs8),
      /is encrypted, and no password was given/,
    ],
    [
      'a wrong password (PKCS#8)',
      () => fromFile(leaf.pem + encryptedPkcs8, 'wrong'),
      /password for the private key .* is wrong/,
    ],
    [
      'a wrong password (Proc-Type)',
      () => fromFile(leaf.pem + encryptedLegacy, 'wrong'),
      /password for the private key .* is wrong/,
    ],
    [
      'a key of another certificate',
      () => fromFile(leaf.pem + stranger.keyPem),
      /does not belong to the certificate 'CN=unit leaf'/,
    ],
    ['a text that is not PEM', () => fromFile('just text'), /is not a PEM file/],
  ])('refuses %s with ERR_INVALID_REQUEST', async (_, load, message) => {
    await expect(load()).rejects.toMatchObject({
      code: 'ERR_INVALID_REQUEST',
      message: expect.stringMatching(message),
      hint: expect.any(String),
    })
  })

  it('refuses an EC certificate and a 1024-bit RSA key: Entra needs RSA of 2048 bits or more', async () => {
    const ec = createTestCertificate({ name: 'unit ec', keyType: 'ec' })
    await expect(fromFile(ec.pem + ec.keyPem)).rejects.toMatchObject({
      message: expect.stringMatching(/has a EC key; client assertions for Entra need an RSA key/),
    })
    const small = createTestCertificate({ name: 'unit small', modulusLength: 1024 })
    await expect(fromFile(small.pem + small.keyPem)).rejects.toMatchObject({
      message: expect.stringMatching(/1024-bit RSA key; Entra needs 2048/),
    })
  })

  it('never puts key material or the password in its errors', async () => {
    const error = (await fromFile(leaf.pem + encryptedPkcs8, 'wrong-password-123').catch((e: unknown) => e)) as Error
    expect(JSON.stringify({ message: error.message, hint: (error as { hint?: string }).hint })).not.toMatch(
      /wrong-password-123|PRIVATE KEY|MII/,
    )
  })
})

describe('loadCertificateCredential from the wrapper', () => {
  it('takes base64 DER and a PKCS#8 key', async () => {
    const credential = await loadCertificateCredential(
      { certificates: [leaf.base64, ca.base64], privateKey: leaf.keyPem },
      files({}),
    )
    expect(credential.chain).toHaveLength(2)
    expect(credential.privateKey).toBeDefined()
  })

  it('takes certificates alone (wrapper-side signing)', async () => {
    const credential = await loadCertificateCredential({ certificates: [leaf.base64] }, files({}))
    expect(credential.privateKey).toBeUndefined()
  })

  it('refuses a key that does not belong to the first certificate', async () => {
    await expect(
      loadCertificateCredential({ certificates: [leaf.base64], privateKey: stranger.keyPem }, files({})),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_REQUEST',
      message: expect.stringMatching(/does not belong to the certificate/),
    })
  })

  it('reports DER that is not a certificate as ERR_PROTOCOL', async () => {
    await expect(
      loadCertificateCredential({ certificates: ['AAAA'], privateKey: leaf.keyPem }, files({})),
    ).rejects.toMatchObject({ code: 'ERR_PROTOCOL' })
  })
})
