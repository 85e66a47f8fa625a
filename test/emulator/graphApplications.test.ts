// GET /v1.0/applications(appId='...'): the Graph-shaped read of an app's passwordCredentials, for a token that may read it.
import { describe, expect, it } from 'vitest';
import directoryData from '../fixtures/directory.json' with { type: 'json' };
import { clientCredentialsForm, fixture, tokenPath, type TestClient, useEmulator } from './harness.js';

const apps = directoryData.tenants[0]?.apps ?? [];
const reader = apps.find((app) => app.name === 'registration-reader');
const endingSoon = apps.find((app) => app.name === 'secret-ending-soon');
const DAY_MS = 86_400_000;

describe('Graph applications endpoint', () => {
  let client: TestClient;
  useEmulator((running) => ({ client } = running));

  const tokenOf = async (clientId: string, secret: string, scope: string = fixture.graphScope) =>
    String(
      (
        await client.postForm(tokenPath(), clientCredentialsForm({ client_id: clientId, client_secret: secret, scope }))
      ).json()['access_token'],
    );
  const read = (appId: string, token: string | undefined, query = '?$select=passwordCredentials') =>
    client.get(
      `/v1.0/applications(appId='${appId}')${query}`,
      token === undefined ? {} : { authorization: `Bearer ${token}` },
    );

  it('answers the passwordCredentials of an app whose token holds Application.Read.All, as Graph shapes them', async () => {
    const app = reader!;
    const secret = app.secrets[0]!;
    const response = await read(app.clientId, await tokenOf(app.clientId, secret.value));
    expect(response.status).toBe(200);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['@odata.context', 'passwordCredentials']);
    const [credential, ...others] = body['passwordCredentials'] as Record<string, unknown>[];
    expect(others).toEqual([]);
    expect(credential).toMatchObject({
      customKeyIdentifier: null,
      displayName: 'runbook',
      hint: secret.value.slice(0, 3),
      keyId: secret.id,
      secretText: null,
    });
    const days = (Date.parse(String(credential!['endDateTime'])) - Date.now()) / DAY_MS;
    expect(days).toBeGreaterThan(399);
    expect(days).toBeLessThanOrEqual(400);
    expect(Date.parse(String(credential!['startDateTime']))).toBeLessThan(Date.now());
    expect(response.text).not.toContain(secret.value);
  });

  it("dates an ending secret from the emulator's clock, and shows every secret of an app with several", async () => {
    const soon = endingSoon!;
    const soonBody = (await read(soon.clientId, await tokenOf(soon.clientId, soon.secrets[0]!.value))).json();
    const [credential] = soonBody['passwordCredentials'] as Record<string, unknown>[];
    expect(Math.round((Date.parse(String(credential!['endDateTime'])) - Date.now()) / DAY_MS)).toBe(10);
    // The reader may read any registration of its tenant: the automation app's three secrets, the expired one ended.
    const all = (await read(fixture.clientId, await tokenOf(reader!.clientId, reader!.secrets[0]!.value))).json();
    const ends = (all['passwordCredentials'] as Record<string, unknown>[]).map(
      (entry) => Date.parse(String(entry['endDateTime'])) < Date.now(),
    );
    expect(ends).toEqual([false, false, true]);
  });

  it('refuses a token without a role that reads applications: 403 Authorization_RequestDenied', async () => {
    const response = await read(fixture.clientId, await tokenOf(fixture.clientId, fixture.secret));
    expect(response.status).toBe(403);
    expect(response.json()).toMatchObject({
      error: { code: 'Authorization_RequestDenied', message: expect.stringMatching(/Insufficient privileges/) },
    });
  });

  it('answers 404 Request_ResourceNotFound for an appId the tenant does not have', async () => {
    const response = await read(
      '00000000-0000-4000-8000-000000000000',
      await tokenOf(reader!.clientId, reader!.secrets[0]!.value),
    );
    expect(response.status).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'Request_ResourceNotFound' } });
  });

  it('answers 401 InvalidAuthenticationToken without a token, for a tampered one and for another audience', async () => {
    expect((await read(fixture.clientId, undefined)).json()).toMatchObject({
      error: { code: 'InvalidAuthenticationToken' },
    });
    const [header, payload, signature] = (await tokenOf(reader!.clientId, reader!.secrets[0]!.value)).split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, tid: fixture.otherTenantId })).toString('base64url')}.${signature}`;
    expect((await read(fixture.clientId, forged)).status).toBe(401);
    const management = await read(
      fixture.clientId,
      await tokenOf(reader!.clientId, reader!.secrets[0]!.value, 'https://management.azure.com/.default'),
    );
    expect(management.status).toBe(401);
    expect(management.json()).toMatchObject({ error: { message: expect.stringMatching(/Invalid audience/) } });
  });
});
