// Federated credentials: assertions of external identity providers, matched exactly on issuer, subject and audience (docs/entra-protocol.md §6 "Workload identity federation").
import { ConfidentialClientApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import federation from '../fixtures/federation.json' with { type: 'json' };
import { githubSubject } from './federation/githubActions.js';
import { clientCredentialsForm, expectStsError, fixture, tokenPath, type TestClient, useEmulator } from './harness.js';
import type { Emulator } from './index.js';
import { createMsalNetworkClient, type ClosableNetworkModule } from './msalNetworkClient.js';

const kubernetesSubject = 'system:serviceaccount:automation:runner';

describe('federated credentials', () => {
  let emulator: Emulator;
  let client: TestClient;
  useEmulator((running) => ({ emulator, client } = running));

  const exchange = (assertion: string) =>
    client.postForm(tokenPath(), clientCredentialsForm({ client_secret: undefined, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }));

  it('accepts a Kubernetes service account token registered on the app', async () => {
    const response = await exchange(emulator.mintFederatedToken({ subject: kubernetesSubject }));
    expect(response.status).toBe(200);
    expect(decodeJwt(String(response.json()['access_token']))).toMatchObject({ appid: fixture.clientId, appidacr: '2' });
  });

  it.each([
    ['an issuer with no credential', { issuer: 'https://issuer.unknown.example/', subject: kubernetesSubject }, 700211],
    ['another subject', { subject: 'system:serviceaccount:automation:other' }, 700213],
    ['a subject that differs only in case', { subject: 'system:serviceaccount:Automation:runner' }, 7002138],
    ['another audience', { subject: kubernetesSubject, audience: 'api://something-else' }, 700212],
    ['an expired token', { subject: kubernetesSubject, issuedAt: Math.floor(Date.now() / 1000) - 7200, lifetimeSeconds: 600 }, 700024],
  ])('refuses %s', async (_, request, code) => {
    expectStsError(await exchange(emulator.mintFederatedToken(request)), 401, 'invalid_client', code);
  });

  it('refuses a token whose signature is not the issuer\'s', async () => {
    const [header, , signature] = emulator.mintFederatedToken({ subject: kubernetesSubject }).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: federation.issuers.kubernetes, sub: kubernetesSubject, aud: 'api://AzureADTokenExchange', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    expectStsError(await exchange(`${header}.${forged}.${signature}`), 401, 'invalid_client', 700027);
  });

  it('serves the GitHub Actions runner endpoint and exchanges its token', async () => {
    expect((await client.get('/_emulator/github/token?api-version=2.0&audience=api://AzureADTokenExchange', { Authorization: 'bearer wrong' })).status).toBe(401);
    const answer = await client.get('/_emulator/github/token?api-version=2.0&audience=api://AzureADTokenExchange', { Authorization: `bearer ${federation.githubRequestToken}` });
    const value = String(answer.json()['value']);
    expect(decodeJwt(value)).toMatchObject({ iss: federation.issuers.githubActions, sub: githubSubject, aud: 'api://AzureADTokenExchange' });
    expect((await exchange(value)).status).toBe(200);
  });

  it('is accepted from msal-node as a clientAssertion callback', async () => {
    const networkClient: ClosableNetworkModule = createMsalNetworkClient(emulator.caPem);
    try {
      const app = new ConfidentialClientApplication({
        auth: {
          clientId: fixture.clientId,
          clientAssertion: async () => emulator.mintFederatedToken({ subject: kubernetesSubject }),
          authority: `${emulator.url}/${fixture.tenantId}`,
          knownAuthorities: [new URL(emulator.url).host],
        },
        system: { networkClient },
      });
      const result = await app.acquireTokenByClientCredential({ scopes: [fixture.graphScope] });
      expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({ appid: fixture.clientId });
    } finally {
      await networkClient.close();
    }
  });
});
