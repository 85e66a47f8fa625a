// Test helper: throwaway RSA (or EC) client certificates and CAs, made in memory for each test run; none is committed.
import { createHash, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { createCertificate, type CertificateSigner } from './x509.js';

export interface TestCertificate {
  /** `CN=<name>`, as X509Certificate.subject gives it. */
  readonly subject: string;
  readonly pem: string;
  readonly x509: X509Certificate;
  /** Base64 DER, as the wrapper sends it and `x5c` carries it. */
  readonly base64: string;
  readonly privateKey: KeyObject;
  /** PKCS#8 PEM of the private key. */
  readonly keyPem: string;
  /** Upper-case hex SHA-1 and SHA-256 of the DER. */
  readonly sha1Hex: string;
  readonly sha256Hex: string;
  /** Signs certificates issued by this one (CAs). */
  readonly signer: CertificateSigner;
}

export interface TestCertificateOptions {
  readonly name?: string;
  /** Default: self-signed. */
  readonly issuer?: TestCertificate;
  readonly ca?: boolean;
  readonly validFrom?: Date;
  readonly validTo?: Date;
  readonly keyType?: 'rsa' | 'ec';
  readonly modulusLength?: number;
}

const dayMs = 24 * 60 * 60 * 1000;

export function createTestCertificate(options: TestCertificateOptions = {}): TestCertificate {
  const name = options.name ?? 'EntraAuth test client';
  const keys =
    options.keyType === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: options.modulusLength ?? 2048 });
  const own: CertificateSigner = { name, ...keys };
  const now = Date.now();
  const pem = createCertificate({
    subject: name,
    publicKey: keys.publicKey,
    signer: options.issuer?.signer ?? own,
    validFrom: options.validFrom ?? new Date(now - dayMs),
    validTo: options.validTo ?? new Date(now + 365 * dayMs),
    usage: options.ca === true ? { ca: true } : { ca: false, clientAuth: true },
  });
  const x509 = new X509Certificate(pem);
  return {
    subject: `CN=${name}`,
    pem,
    x509,
    base64: x509.raw.toString('base64'),
    privateKey: keys.privateKey,
    keyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    sha1Hex: createHash('sha1').update(x509.raw).digest('hex').toUpperCase(),
    sha256Hex: createHash('sha256').update(x509.raw).digest('hex').toUpperCase(),
    signer: own,
  };
}
