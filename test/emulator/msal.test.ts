// Fidelity: the unmodified @azure/msal-node ConfidentialClientApplication against the emulator.
import { ConfidentialClientApplication, ServerError } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './harness.js';
import { startEmulator, type Emulator } from './index.js';
import { createMsalNetworkClient, type ClosableNetworkModule } from './msalNetworkClient.js';
import { createTestCertificate } from './testCertificates.js';

describe('msal-node against the emulator', { timeout: 8000 }, () => {
  let emulator: Emulator;
  let networkClient: ClosableNetworkModule;

  beforeAll(async () => {
    emulator = await startEmulator();
    networkClient = createMsalNetworkClient(emulator.caPem);
  });
  afterAll(async () => {
    await networkClient?.close();
    await emulator?.close();
  });

  const app = (clientSecret: string, clientId: string = fixture.clientId) =>
    new ConfidentialClientApplication({
      auth: {
        clientId,
        clientSecret,
        authority: `${emulator.url}/${fixture.tenantId}`,
        knownAuthorities: [new URL(emulator.url).host],
      },
      system: { networkClient },
    });

  it('gets a token with the secret value', async () => {
    const result = await app(fixture.secret).acquireTokenByClientCredential({ scopes: [fixture.graphScope] });
    expect(result?.tokenType).toBe('Bearer');
    const claims = decodeJwt(result?.accessToken ?? '');
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      tid: fixture.tenantId,
      appid: fixture.clientId,
      roles: fixture.graphRoles,
    });
    expect(result?.expiresOn?.getTime()).toBeGreaterThan(Date.now() + 3000 * 1000);
  });

  it('gets a token with the secret containing + & = % space ü', async () => {
    const result = await app(fixture.trickySecret).acquireTokenByClientCredential({
      scopes: ['https://management.core.windows.net//.default'],
    });
    expect(decodeJwt(result?.accessToken ?? '').aud).toBe('https://management.core.windows.net/');
  });

  it('turns a wrong secret into ServerError invalid_client AADSTS7000215', async () => {
    const failure = await app('not-the-secret')
      .acquireTokenByClientCredential({ scopes: [fixture.graphScope] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServerError);
    expect(failure).toMatchObject({ errorCode: 'invalid_client' });
    expect((failure as ServerError).errorMessage).toContain('AADSTS7000215');
  });

  describe('certificate assertions (signed by msal-node with jsonwebtoken)', () => {
    const certificateApp = (clientCertificate: {
      thumbprint?: string;
      thumbprintSha256?: string;
      privateKey: string;
      x5c?: string;
    }) =>
      new ConfidentialClientApplication({
        auth: {
          clientId: fixture.certificateClientId,
          clientCertificate,
          authority: `${emulator.url}/${fixture.tenantId}`,
          knownAuthorities: [new URL(emulator.url).host],
        },
        system: { networkClient },
      });
    const registered = createTestCertificate({ name: 'msal-node client' });
    const ca = createTestCertificate({ name: 'msal-node issuing CA', ca: true });
    const chained = createTestCertificate({ name: 'msal.contoso.example', issuer: ca });
    beforeAll(() => {
      emulator.registerCertificate({
        tenantId: fixture.tenantId,
        clientId: fixture.certificateClientId,
        certificate: registered.pem,
      });
      emulator.registerCertificate({
        tenantId: fixture.tenantId,
        clientId: fixture.certificateClientId,
        subjectName: chained.subject,
        issuer: ca.pem,
      });
    });

    it('accepts PS256 with x5t#S256 (thumbprintSha256)', async () => {
      const result = await certificateApp({
        thumbprintSha256: registered.sha256Hex,
        privateKey: registered.keyPem,
      }).acquireTokenByClientCredential({ scopes: [fixture.graphScope] });
      expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({ appid: fixture.certificateClientId, appidacr: '2' });
      expect(emulator.requests.at(-1)?.assertion).toMatchObject({ alg: 'PS256', x5tS256: true, x5t: false });
    });

    it('accepts RS256 with the SHA-1 x5t (thumbprint)', async () => {
      const result = await certificateApp({
        thumbprint: registered.sha1Hex,
        privateKey: registered.keyPem,
      }).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
      expect(result?.accessToken).toMatch(/^eyJ/);
      expect(emulator.requests.at(-1)?.assertion).toMatchObject({ alg: 'RS256', x5t: true, x5tS256: false });
    });

    it('accepts subject name and issuer with its x5c chain', async () => {
      const result = await certificateApp({
        thumbprintSha256: chained.sha256Hex,
        privateKey: chained.keyPem,
        x5c: chained.pem + ca.pem,
      }).acquireTokenByClientCredential({ scopes: [fixture.graphScope] });
      expect(result?.accessToken).toMatch(/^eyJ/);
      expect(emulator.requests.at(-1)?.assertion?.x5c).toEqual([chained.sha1Hex, ca.sha1Hex]);
    });

    it('turns an unregistered certificate into ServerError AADSTS700027', async () => {
      const stranger = createTestCertificate({ name: 'msal-node stranger' });
      const failure = await certificateApp({ thumbprintSha256: stranger.sha256Hex, privateKey: stranger.keyPem })
        .acquireTokenByClientCredential({ scopes: [fixture.graphScope] })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ServerError);
      expect((failure as ServerError).errorMessage).toContain('AADSTS700027');
    });
  });

  it('redeems a refresh token and went through discovery and the token endpoint', async () => {
    const refreshToken = emulator.mintRefreshToken({
      tenantId: fixture.tenantId,
      clientId: fixture.clientId,
      scopes: ['https://graph.microsoft.com/User.Read', 'offline_access'],
    });
    const result = await app(fixture.secret).acquireTokenByRefreshToken({
      refreshToken,
      scopes: ['https://graph.microsoft.com/User.Read'],
    });
    expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({ scp: 'User.Read', idtyp: 'user' });
    const paths = emulator.requests.map((entry) => `${entry.method} ${entry.path} ${entry.grantType ?? ''}`.trim());
    expect(paths).toContain(`GET /${fixture.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(paths).toContain(`POST /${fixture.tenantId}/oauth2/v2.0/token refresh_token`);
  });
});
