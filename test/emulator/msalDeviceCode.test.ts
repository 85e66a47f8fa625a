// Fidelity: the unmodified @azure/msal-node PublicClientApplication signs in with a device code against the emulator.
import { PublicClientApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './harness.js';
import { startEmulator, type Emulator } from './index.js';
import { createMsalNetworkClient, type ClosableNetworkModule } from './msalNetworkClient.js';

describe('msal-node device code flow against the emulator', { timeout: 10000 }, () => {
  let emulator: Emulator;
  let networkClient: ClosableNetworkModule;

  beforeAll(async () => {
    emulator = await startEmulator({ deviceCodeIntervalSeconds: 1 });
    networkClient = createMsalNetworkClient(emulator.caPem);
  });
  afterAll(async () => {
    await networkClient?.close();
    await emulator?.close();
  });

  it('shows the message, polls while pending and returns the account and token once approved', async () => {
    const app = new PublicClientApplication({
      auth: {
        clientId: fixture.publicClientId,
        authority: `${emulator.url}/${fixture.tenantId}`,
        knownAuthorities: [new URL(emulator.url).host],
      },
      system: { networkClient },
    });
    const messages: string[] = [];
    const result = await app.acquireTokenByDeviceCode({
      scopes: ['https://graph.microsoft.com/User.Read'],
      deviceCodeCallback: (response) => {
        messages.push(response.message);
        emulator.approveDeviceCode({ userCode: response.userCode });
      },
    });
    expect(messages).toEqual([expect.stringContaining(`${emulator.url}/devicelogin`)]);
    expect(decodeJwt(result?.accessToken ?? '')).toMatchObject({ scp: 'User.Read', tid: fixture.tenantId });
    expect(result?.account?.username).toBe(`user@${fixture.domain}`);
    expect(emulator.requests.filter((entry) => entry.grantType === 'device_code').length).toBeGreaterThanOrEqual(1);
  });
});
