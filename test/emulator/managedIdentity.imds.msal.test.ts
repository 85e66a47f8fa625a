// Fidelity: the unmodified msal-node ManagedIdentityApplication gets a token from the emulator's IMDS endpoint
// (AZURE_POD_IDENTITY_AUTHORITY_HOST points it at 127.0.0.1; nothing goes to 169.254.169.254).
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import managedIdentities from '../fixtures/managedIdentities.json' with { type: 'json' };
import { startEmulator, type Emulator } from './index.js';

describe('msal-node ManagedIdentityApplication against the IMDS endpoint', { timeout: 10000 }, () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
    for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET', 'IMDS_ENDPOINT'])
      delete process.env[name];
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = emulator.managedIdentity.url;
  });
  afterAll(async () => {
    delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    await emulator?.close();
  });

  it('system-assigned and user-assigned by resource id', async () => {
    const { ManagedIdentityApplication } = await import('@azure/msal-node');
    const system = await new ManagedIdentityApplication().acquireToken({ resource: 'https://management.azure.com' });
    expect(decodeJwt(system.accessToken)).toMatchObject({
      aud: 'https://management.azure.com',
      appid: managedIdentities.systemAssigned.clientId,
    });
    const user = managedIdentities.userAssigned[0]!;
    const assigned = await new ManagedIdentityApplication({
      managedIdentityIdParams: { userAssignedResourceId: user.resourceId },
    }).acquireToken({ resource: 'https://graph.microsoft.com' });
    expect(decodeJwt(assigned.accessToken)).toMatchObject({ appid: user.clientId, oid: user.objectId });
    expect(
      emulator.requests
        .filter((entry) => entry.path === '/metadata/identity/oauth2/token')
        .every((entry) => entry.status === 200),
    ).toBe(true);
  });
});
