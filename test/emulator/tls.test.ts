// Throwaway TLS: the CA signs a 127.0.0.1/localhost server certificate; untrusted clients are refused.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient, fixture } from './harness.js';
import { startEmulator, type Emulator } from './index.js';

function serverCertificate(emulator: Emulator): Promise<X509Certificate> {
  const { port } = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port), ca: emulator.caPem }, () => {
      const cert = socket.getPeerX509Certificate();
      socket.end();
      if (cert) resolve(cert);
      else reject(new Error('no peer certificate'));
    });
    socket.once('error', reject);
  });
}

describe('TLS', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('writes the CA PEM to caFile and listens on 127.0.0.1 only', async () => {
    expect(await readFile(emulator.caFile, 'utf8')).toBe(emulator.caPem);
    expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = new X509Certificate(emulator.caPem);
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
  });

  it('serves a certificate issued by the CA for 127.0.0.1 and localhost', async () => {
    const ca = new X509Certificate(emulator.caPem);
    const cert = await serverCertificate(emulator);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
  });

  it('is reachable as localhost, and discovery then names localhost', async () => {
    const client = createTestClient({ url: emulator.url.replace('127.0.0.1', 'localhost'), caPem: emulator.caPem });
    try {
      const response = await client.get(`/${fixture.tenantId}/v2.0/.well-known/openid-configuration`);
      expect(response.json()['issuer']).toBe(
        `${emulator.url.replace('127.0.0.1', 'localhost')}/${fixture.tenantId}/v2.0`,
      );
    } finally {
      await client.close();
    }
  });

  it('is refused by a client that does not trust the CA', async () => {
    const dispatcher = new Agent({ keepAliveTimeout: 10 });
    try {
      await expect(
        request(`${emulator.url}/common/v2.0/.well-known/openid-configuration`, { dispatcher }),
      ).rejects.toMatchObject({
        code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/) as unknown,
      });
    } finally {
      await dispatcher.close();
    }
  });

  it('deletes the CA file on close', async () => {
    const other = await startEmulator();
    await other.close();
    await other.close();
    await expect(readFile(other.caFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
