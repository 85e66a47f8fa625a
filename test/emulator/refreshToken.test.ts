// refresh_token grant: delegated tokens, rotation, client authentication and invalid_grant (doc §2.4, §5.2).
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { expectStsError, fixture, tokenPath, type TestClient, useEmulator } from './harness.js';
import type { Emulator } from './index.js';

describe('refresh_token', () => {
  let emulator: Emulator;
  let client: TestClient;
  useEmulator((running) => ({ emulator, client } = running));

  const consented = [
    'https://graph.microsoft.com/User.Read',
    'https://graph.microsoft.com/Mail.Read',
    'offline_access',
  ];
  const mint = (clientId: string = fixture.clientId, scopes: string[] = consented): string =>
    emulator.mintRefreshToken({ tenantId: fixture.tenantId, clientId, scopes });
  const redeem = (refreshToken: string, fields: Record<string, string> = {}, tenant: string = fixture.tenantId) =>
    client.postForm(tokenPath(tenant), {
      grant_type: 'refresh_token',
      client_id: fixture.clientId,
      client_secret: fixture.secret,
      refresh_token: refreshToken,
      scope: 'https://graph.microsoft.com/.default openid profile offline_access',
      ...fields,
    });

  it('returns a delegated token, the scope and a new refresh token', async () => {
    const old = mint();
    const response = await redeem(old);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store, no-cache');
    const body = response.json();
    expect(Object.keys(body)).toEqual([
      'token_type',
      'scope',
      'expires_in',
      'ext_expires_in',
      'access_token',
      'refresh_token',
    ]);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      scope: 'https://graph.microsoft.com/.default openid profile offline_access',
      expires_in: 3599,
    });
    expect(body['refresh_token']).not.toBe(old);
    const claims = decodeJwt(String(body['access_token']));
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      scp: 'User.Read Mail.Read',
      idtyp: 'user',
      appidacr: '1',
      tid: fixture.tenantId,
      ver: '1.0',
    });
    expect(claims).not.toHaveProperty('roles');
  });

  it('rotates: the old token is revoked (AADSTS50173, bad_token), the new one works', async () => {
    const old = mint();
    const rotated = String((await redeem(old)).json()['refresh_token']);
    const reuse = expectStsError(await redeem(old), 400, 'invalid_grant', 50173);
    expect(reuse['suberror']).toBe('bad_token');
    expect((await redeem(rotated)).status).toBe(200);
  });

  it('maps named scopes to their resource: "User.Read offline_access" is Graph', async () => {
    const body = (await redeem(mint(), { scope: 'User.Read offline_access' })).json();
    expect(body['scope']).toBe('User.Read offline_access');
    expect(decodeJwt(String(body['access_token']))).toMatchObject({
      aud: 'https://graph.microsoft.com',
      scp: 'User.Read',
    });
  });

  it('issues for the first resource named and falls back to the minted scopes', async () => {
    const vault = await redeem(mint(), {
      scope: 'https://vault.azure.net/user_impersonation https://graph.microsoft.com/User.Read',
    });
    expect(decodeJwt(String(vault.json()['access_token']))).toMatchObject({
      aud: 'https://vault.azure.net',
      scp: 'user_impersonation',
    });
    const noScope = await client.postForm(tokenPath(), {
      grant_type: 'refresh_token',
      client_id: fixture.clientId,
      client_secret: fixture.secret,
      refresh_token: mint(),
    });
    expect(noScope.json()['scope']).toBe(consented.join(' '));
  });

  it('redeems on /organizations, taking the tenant from the refresh token', async () => {
    const response = await redeem(mint(), {}, 'organizations');
    expect(decodeJwt(String(response.json()['access_token']))['tid']).toBe(fixture.tenantId);
  });

  it('lets a public client redeem without a secret (appidacr 0)', async () => {
    const response = await redeem(mint(fixture.publicClientId), {
      client_id: fixture.publicClientId,
      client_secret: '',
    });
    expect(decodeJwt(String(response.json()['access_token']))['appidacr']).toBe('0');
  });

  it('rejects a public client that sends a secret (AADSTS700025)', async () => {
    expectStsError(
      await redeem(mint(fixture.publicClientId), { client_id: fixture.publicClientId }),
      401,
      'invalid_client',
      700025,
    );
  });

  it('rejects a confidential client without a secret (AADSTS7000218)', async () => {
    expectStsError(await redeem(mint(), { client_secret: '' }), 401, 'invalid_client', 7000218);
  });

  it('requires client_id (AADSTS900144)', async () => {
    const body = expectStsError(await redeem(mint(), { client_id: '' }), 400, 'invalid_request', 900144);
    expect(String(body['error_description'])).toMatch(
      /^AADSTS900144: The request body must contain the following parameter: 'client_id'\. /,
    );
  });

  it('rejects unknown tokens and tokens of another client (AADSTS50173); another tenant lacks the app (AADSTS700016)', async () => {
    expect(expectStsError(await redeem('1.Anot-a-real-token'), 400, 'invalid_grant', 50173)['suberror']).toBe(
      'bad_token',
    );
    const forPublicClient = mint(fixture.publicClientId);
    expectStsError(await redeem(forPublicClient), 400, 'invalid_grant', 50173);
    expectStsError(await redeem(mint(), {}, fixture.otherTenantId), 400, 'unauthorized_client', 700016);
  });

  it('rejects an unregistered resource (AADSTS500011)', async () => {
    expectStsError(
      await redeem(mint(), { scope: 'https://unknown.example.com/.default' }),
      400,
      'invalid_resource',
      500011,
    );
  });

  it('mints refresh tokens over the admin API too', async () => {
    const minted = await client.postJson('/_emulator/refresh-tokens', {
      tenantId: fixture.domain,
      clientId: fixture.clientId,
      scopes: consented,
    });
    expect(minted.status).toBe(200);
    expect((await redeem(String(minted.json()['refresh_token']))).status).toBe(200);
    const unknownApp = await client.postJson('/_emulator/refresh-tokens', {
      tenantId: fixture.tenantId,
      clientId: fixture.unknownTenantId,
      scopes: [],
    });
    expect(unknownApp.status).toBe(400);
  });
});
