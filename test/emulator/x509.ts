// Builds X.509 v3 certificates (ECDSA P-256 or RSA, SHA-256) for the throwaway TLS chain and test client certificates (RFC 5280).
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  nullValue,
  objectIdentifier,
  octetString,
  sequence,
  set,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';

const oid = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsaEncryption: '1.2.840.113549.1.1.11',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extendedKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** The key pair and name that sign a certificate (the certificate's own for a self-signed CA). */
export interface CertificateSigner {
  readonly name: string;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

export interface CertificateRequest {
  readonly subject: string;
  readonly publicKey: KeyObject;
  readonly signer: CertificateSigner;
  readonly validFrom: Date;
  readonly validTo: Date;
  /** A CA certificate (keyCertSign) or a TLS server certificate for the given names. */
  /** A CA, a TLS server for the given names, or a client (the certificate of an app's client assertion). */
  readonly usage:
    | { readonly ca: true }
    | { readonly ca: false; readonly dnsNames: readonly string[]; readonly ipv4: readonly string[] }
    | { readonly ca: false; readonly clientAuth: true };
}

/** The signature algorithm follows the signer's key: ECDSA or RSA (PKCS#1 v1.5), both with SHA-256. */
function signatureAlgorithm(signer: KeyObject): Buffer {
  return signer.asymmetricKeyType === 'rsa'
    ? sequence(objectIdentifier(oid.sha256WithRsaEncryption), nullValue())
    : sequence(objectIdentifier(oid.ecdsaWithSha256));
}

function name(commonName: string): Buffer {
  return sequence(set(sequence(objectIdentifier(oid.commonName), utf8String(commonName))));
}

function spki(publicKey: KeyObject): Buffer {
  return publicKey.export({ type: 'spki', format: 'der' });
}

/** Key identifier: SHA-1 over the whole SubjectPublicKeyInfo (RFC 7093 §2 allows any stable method). */
function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(spki(publicKey)).digest();
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(objectIdentifier(id), boolean(true), octetString(value))
    : sequence(objectIdentifier(id), octetString(value));
}

function extensions(request: CertificateRequest): Buffer[] {
  const { usage, publicKey, signer } = request;
  const identifiers = [
    extension(oid.subjectKeyIdentifier, false, octetString(keyIdentifier(publicKey))),
    extension(oid.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, keyIdentifier(signer.publicKey)))),
  ];
  if (usage.ca) {
    return [
      extension(oid.basicConstraints, true, sequence(boolean(true))),
      // keyCertSign | cRLSign = bits 5 and 6 → 0b0000_0110, one unused trailing bit.
      extension(oid.keyUsage, true, bitString(Buffer.from([0x06]), 1)),
      ...identifiers,
    ];
  }
  if ('clientAuth' in usage) {
    return [
      extension(oid.basicConstraints, true, sequence()),
      extension(oid.keyUsage, true, bitString(Buffer.from([0x80]), 7)),
      extension(oid.extendedKeyUsage, false, sequence(objectIdentifier(oid.clientAuth))),
      ...identifiers,
    ];
  }
  const altNames = [
    ...usage.dnsNames.map((dns) => implicitPrimitive(2, Buffer.from(dns, 'ascii'))),
    ...usage.ipv4.map((ip) => implicitPrimitive(7, Buffer.from(ip.split('.').map(Number)))),
  ];
  return [
    extension(oid.basicConstraints, true, sequence()),
    // digitalSignature = bit 0 → 0b1000_0000, seven unused trailing bits.
    extension(oid.keyUsage, true, bitString(Buffer.from([0x80]), 7)),
    extension(oid.extendedKeyUsage, false, sequence(objectIdentifier(oid.serverAuth))),
    extension(oid.subjectAltName, false, sequence(...altNames)),
    ...identifiers,
  ];
}

function serialNumber(): Buffer {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return serial;
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Creates and signs a certificate; returns it as PEM. */
export function createCertificate(request: CertificateRequest): string {
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serialNumber()),
    signatureAlgorithm(request.signer.privateKey),
    name(request.signer.name),
    sequence(time(request.validFrom), time(request.validTo)),
    name(request.subject),
    spki(request.publicKey),
    explicit(3, sequence(...extensions(request))),
  );
  const signature = sign('sha256', tbs, request.signer.privateKey);
  return toPem(sequence(tbs, signatureAlgorithm(request.signer.privateKey), bitString(signature)));
}
