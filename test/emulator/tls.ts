// Throwaway TLS material: a fresh CA and a 127.0.0.1/localhost server certificate, CA written to a new temp dir.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificate, type CertificateSigner } from './x509.js';

export interface TlsMaterial {
  /** Directory holding `ca.pem`; the caller removes it when done. */
  readonly dir: string;
  readonly caFile: string;
  readonly caPem: string;
  /** Server private key (PKCS#8 PEM) and certificate (PEM) for `https.createServer`. */
  readonly key: string;
  readonly cert: string;
}

const hourMs = 60 * 60 * 1000;

/**
 * A name the server certificate also holds, which no DNS resolves (RFC 6761 `.test`): proxy tests use it as the
 * login host, so the request must go through the test's proxy, which connects it to the emulator on loopback.
 */
export const PROXIED_LOGIN_NAME = 'login.emulator.test';

function newKeyPair() {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/** The CA of the emulator's main listener; the diagnostics tests name it as the expected issuer (ENTRAAUTH_TLS_EXPECTED_ISSUERS). */
export const EMULATOR_CA_NAME = 'EntraAuth emulator throwaway CA';
/** The CA of the second listener, which stands for a TLS-inspecting proxy: its CA is in no trust store. */
export const INSPECTING_CA_NAME = 'Contoso TLS Inspection CA';

export async function createTlsMaterial(now = new Date(), caName = EMULATOR_CA_NAME): Promise<TlsMaterial> {
  const validFrom = new Date(now.getTime() - hourMs);
  const validTo = new Date(now.getTime() + 30 * 24 * hourMs);
  const ca: CertificateSigner = { name: caName, ...newKeyPair() };
  const caPem = createCertificate({
    subject: ca.name,
    publicKey: ca.publicKey,
    signer: ca,
    validFrom,
    validTo,
    usage: { ca: true },
  });
  const server = newKeyPair();
  const cert = createCertificate({
    subject: '127.0.0.1',
    publicKey: server.publicKey,
    signer: ca,
    validFrom,
    validTo,
    usage: { ca: false, dnsNames: ['localhost', PROXIED_LOGIN_NAME], ipv4: ['127.0.0.1'] },
  });
  const dir = await mkdtemp(join(tmpdir(), 'entraauth-emulator-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, caPem, { mode: 0o644 });
  const key = server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { dir, caFile, caPem, key, cert };
}
