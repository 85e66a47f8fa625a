// Fidelity: the unmodified msal-node ManagedIdentityApplication gets a token from the emulator's App Service endpoint.
// msal-node reads the environment and caches its source per process; vitest runs each file in its own worker.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import managedIdentities from '../fixtures/managedIdentities.json' with { type: 'json' };
import { startEmulator, type Emulator } from './index.js';

describe('msal-node ManagedIdentityApplication against the App Service endpoint', { timeout: 10000 }, () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
    process.env.IDENTITY_ENDPOINT = emulator.managedIdentity.appServiceEndpoint;
    process.env.IDENTITY_HEADER = managedIdentities.identityHeader;
  });
  afterAll(async () => {
    delete process.env.IDENTITY_ENDPOINT;
    delete process.env.IDENTITY_HEADER;
    await emulator?.close();
  });

  it('system-assigned and user-assigned by client id', async () => {
    const { ManagedIdentityApplication } = await import('@azure/msal-node');
    const system = await new ManagedIdentityApplication().acquireToken({ resource: 'https://management.azure.com' });
    expect(decodeJwt(system.accessToken)).toMatchObject({
      aud: 'https://management.azure.com',
      appid: managedIdentities.systemAssigned.clientId,
      idtyp: 'app',
    });
    expect(system.expiresOn!.getTime()).toBeGreaterThan(Date.now() + 3000 * 1000);
    const user = managedIdentities.userAssigned[0]!;
    const assigned = await new ManagedIdentityApplication({
      managedIdentityIdParams: { userAssignedClientId: user.clientId },
    }).acquireToken({ resource: 'https://graph.microsoft.com' });
    expect(decodeJwt(assigned.accessToken)).toMatchObject({ appid: user.clientId, roles: ['User.Read.All'] });
    expect(emulator.requests.filter((entry) => entry.path === '/msi/token').map((entry) => entry.status)).toEqual([
      200, 200,
    ]);
  });
});
