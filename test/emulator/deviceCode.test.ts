// Device code flow: /devicecode answer, per-code state machine, both grant spellings, expiry, slow_down, admin API (doc §4).
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { expectStsError, fixture, tokenPath, type Json, type TestClient, useEmulator } from './harness.js';
import type { Emulator } from './index.js';

const devicePath = (tenant: string = fixture.tenantId): string => `/${tenant}/oauth2/v2.0/devicecode`;
const userScopes = 'https://graph.microsoft.com/User.Read openid profile offline_access';

describe('device code flow', () => {
  let emulator: Emulator;
  let client: TestClient;
  useEmulator((running) => ({ emulator, client } = running), {
    deviceCodeIntervalSeconds: 0.2,
    deviceCodeLifetimeSeconds: 60,
  });

  const start = async (fields: Record<string, string> = {}, tenant?: string): Promise<Json> => {
    const response = await client.postForm(devicePath(tenant), {
      client_id: fixture.publicClientId,
      scope: userScopes,
      ...fields,
    });
    expect(response.status, response.text).toBe(200);
    return response.json();
  };
  const poll = (deviceCode: unknown, fields: Record<string, string> = {}, tenant?: string) =>
    client.postForm(tokenPath(tenant), {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      client_id: fixture.publicClientId,
      device_code: String(deviceCode),
      ...fields,
    });

  it('answers /devicecode with exactly the six fields of doc 4.1', async () => {
    const body = await start();
    expect(Object.keys(body)).toEqual([
      'user_code',
      'device_code',
      'verification_uri',
      'expires_in',
      'interval',
      'message',
    ]);
    expect(body['user_code']).toMatch(/^[A-Z0-9]{9}$/);
    expect(body).toMatchObject({ verification_uri: `${emulator.url}/devicelogin`, expires_in: 60, interval: 0.2 });
    expect(body['message']).toBe(
      `To sign in, use a web browser to open the page ${emulator.url}/devicelogin and enter the code ${String(body['user_code'])} to authenticate.`,
    );
  });

  it('keeps the code pending until the user approves, then issues the token once', async () => {
    const body = await start({ client_info: '1' });
    expectStsError(await poll(body['device_code']), 400, 'authorization_pending', 70016);
    expect(emulator.deviceCodes.find((code) => code.userCode === body['user_code'])).toMatchObject({
      state: 'pending',
      polls: 1,
    });
    emulator.approveDeviceCode({ userCode: String(body['user_code']) });
    const response = await poll(body['device_code'], { client_info: '1' });
    expect(response.status, response.text).toBe(200);
    const token = response.json();
    expect(Object.keys(token)).toEqual([
      'token_type',
      'scope',
      'expires_in',
      'ext_expires_in',
      'access_token',
      'refresh_token',
      'id_token',
      'client_info',
    ]);
    expect(token['scope']).toBe(userScopes);
    expect(decodeJwt(String(token['access_token']))).toMatchObject({
      aud: 'https://graph.microsoft.com',
      scp: 'User.Read',
      idtyp: 'user',
      appidacr: '0',
      tid: fixture.tenantId,
    });
    expect(decodeJwt(String(token['id_token']))).toMatchObject({
      aud: fixture.publicClientId,
      tid: fixture.tenantId,
      ver: '2.0',
      preferred_username: `user@${fixture.domain}`,
    });
    expect(JSON.parse(Buffer.from(String(token['client_info']), 'base64url').toString())).toMatchObject({
      utid: fixture.tenantId,
    });
    expectStsError(await poll(body['device_code']), 400, 'invalid_grant', 54005);
    expect(emulator.deviceCodes.some((code) => code.userCode === body['user_code'])).toBe(false);
  });

  it('accepts the short grant_type MSAL sends, and its refresh token works with the refresh grant', async () => {
    const body = await start({ scope: 'https://graph.microsoft.com/.default offline_access' });
    emulator.approveDeviceCode({ userCode: String(body['user_code']) });
    const response = await poll(body['device_code'], { grant_type: 'device_code' });
    expect(response.status, response.text).toBe(200);
    const token = response.json();
    expect(token).not.toHaveProperty('id_token');
    const refreshed = await client.postForm(tokenPath(), {
      grant_type: 'refresh_token',
      client_id: fixture.publicClientId,
      refresh_token: String(token['refresh_token']),
      scope: 'https://graph.microsoft.com/.default offline_access',
    });
    expect(refreshed.status, refreshed.text).toBe(200);
  });

  it('gives no refresh token without offline_access', async () => {
    const body = await start({ scope: 'https://graph.microsoft.com/User.Read' });
    emulator.approveDeviceCode({ userCode: String(body['user_code']) });
    const token = (await poll(body['device_code'])).json();
    expect(token).not.toHaveProperty('refresh_token');
  });

  it('answers authorization_declined after the user declines', async () => {
    const body = await start();
    emulator.declineDeviceCode({ userCode: String(body['user_code']) });
    expectStsError(await poll(body['device_code']), 400, 'authorization_declined', 70015);
    expect(() => emulator.approveDeviceCode({ userCode: String(body['user_code']) })).toThrow(/declined, not pending/);
  });

  it('answers expired_token once expires_in has passed', async () => {
    emulator.planDeviceCode({
      clientId: fixture.publicClientId,
      action: 'none',
      afterPolls: 0,
      slowDownPolls: 0,
      expiresIn: 0.3,
    });
    const body = await start();
    expect(body['expires_in']).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expectStsError(await poll(body['device_code']), 400, 'expired_token', 70020);
    expect(() => emulator.approveDeviceCode({ userCode: String(body['user_code']) })).toThrow(/expired/);
  });

  it('plays a scripted user: slow_down first, then approval after the given polls', async () => {
    emulator.planDeviceCode({
      clientId: fixture.publicClientId,
      action: 'approve',
      afterPolls: 3,
      slowDownPolls: 2,
      interval: 0,
    });
    const body = await start();
    expect(body['interval']).toBe(0);
    expectStsError(await poll(body['device_code']), 400, 'slow_down', 70017);
    expectStsError(await poll(body['device_code']), 400, 'slow_down', 70017);
    expectStsError(await poll(body['device_code']), 400, 'authorization_pending', 70016);
    expect((await poll(body['device_code'])).status).toBe(200);
  });

  it('injects slow_down into a running sign-in through the admin API', async () => {
    const body = await start();
    const injected = await client.postJson('/_emulator/device-codes/slow-down', {
      userCode: body['user_code'],
      count: 1,
    });
    expect(injected.status).toBe(204);
    expectStsError(await poll(body['device_code']), 400, 'slow_down', 70017);
    expectStsError(await poll(body['device_code']), 400, 'authorization_pending', 70016);
  });

  it('refuses an unknown device code, another client or another tenant segment', async () => {
    expectStsError(await poll('DAQABnot-a-code'), 400, 'bad_verification_code', 70018);
    const body = await start();
    expectStsError(
      await poll(body['device_code'], { client_id: fixture.azureCliClientId }),
      400,
      'bad_verification_code',
      70018,
    );
    expectStsError(await poll(body['device_code'], {}, fixture.domain), 400, 'bad_verification_code', 70018);
  });

  it('on /organizations issues the token for the tenant of the user who approved', async () => {
    const body = await start(
      { client_id: fixture.azureCliClientId, scope: 'https://graph.microsoft.com/.default offline_access' },
      'organizations',
    );
    const approved = await client.postJson('/_emulator/device-codes/approve', {
      userCode: body['user_code'],
      tenantId: fixture.domain,
    });
    expect(approved.status).toBe(204);
    const response = await poll(body['device_code'], { client_id: fixture.azureCliClientId }, 'organizations');
    expect(response.status, response.text).toBe(200);
    expect(decodeJwt(String(response.json()['access_token']))).toMatchObject({
      tid: fixture.tenantId,
      appid: fixture.azureCliClientId,
    });
  });

  it('makes a confidential app prove itself on every poll (7000218)', async () => {
    const body = await start({ client_id: fixture.clientId });
    const response = await client.postForm(tokenPath(), {
      grant_type: 'device_code',
      client_id: fixture.clientId,
      device_code: String(body['device_code']),
    });
    expectStsError(response, 401, 'invalid_client', 7000218);
  });

  it('checks the /devicecode request: client, scope, resource, method', async () => {
    expectStsError(
      await client.postForm(devicePath(), { client_id: fixture.publicClientId }),
      400,
      'invalid_request',
      900144,
    );
    expectStsError(await client.postForm(devicePath(), { scope: userScopes }), 400, 'invalid_request', 900144);
    expectStsError(
      await client.postForm(devicePath(), { client_id: fixture.unknownTenantId, scope: userScopes }),
      400,
      'unauthorized_client',
      700016,
    );
    expectStsError(
      await client.postForm(devicePath(), { client_id: fixture.publicClientId, scope: 'https://unknown.example/x' }),
      400,
      'invalid_resource',
      500011,
    );
    expectStsError(await client.get(devicePath()), 400, 'invalid_request', 900561);
  });

  it('lists pending codes without their device codes, and rejects bad admin input', async () => {
    const body = await start();
    const listed = (
      await client.get(`/_emulator/device-codes?clientId=${fixture.publicClientId}`)
    ).json() as unknown as Json[];
    const mine = listed.find((code) => code['userCode'] === body['user_code']);
    expect(mine).toMatchObject({
      clientId: fixture.publicClientId,
      tenant: fixture.tenantId,
      state: 'pending',
      interval: 0.2,
    });
    expect(JSON.stringify(listed)).not.toContain(String(body['device_code']));
    expect((await client.postJson('/_emulator/device-codes/approve', { userCode: 'NOPE' })).status).toBe(400);
    expect(
      (await client.postJson('/_emulator/device-codes/plan', { clientId: fixture.publicClientId, action: 'maybe' }))
        .status,
    ).toBe(400);
    expect(
      (await client.postJson('/_emulator/device-codes/plan', { clientId: fixture.publicClientId, interval: -1 }))
        .status,
    ).toBe(400);
  });

  it('fails /devicecode with a scripted fault like the token endpoint', async () => {
    emulator.injectFaults({ clientId: fixture.publicClientId, responses: [{ status: 503 }] });
    expect((await client.postForm(devicePath(), { client_id: fixture.publicClientId, scope: userScopes })).status).toBe(
      503,
    );
  });
});
