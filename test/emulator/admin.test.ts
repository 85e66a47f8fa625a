// Admin API: the request log (fields, filter, no secrets or tokens), reset, unknown operations.
import { describe, expect, it } from 'vitest';
import { clientCredentialsForm, fixture, tokenPath, type TestClient, useEmulator } from './harness.js';
import type { Emulator } from './index.js';

describe('admin API and request log', () => {
  let emulator: Emulator;
  let client: TestClient;
  useEmulator((running) => ({ emulator, client } = running));

  it('logs time, method, path, grant type, client id and status, filterable by client', async () => {
    emulator.reset();
    await client.get(`/${fixture.tenantId}/v2.0/.well-known/openid-configuration`);
    await client.postForm(`${tokenPath()}?client-request-id=x`, clientCredentialsForm());
    await client.postForm(tokenPath(), clientCredentialsForm({ client_id: fixture.publicClientId }));
    const entries = (await client.get('/_emulator/requests')).json() as unknown as Array<Record<string, unknown>>;
    expect(entries).toEqual(emulator.requests);
    expect(entries.map(({ time: _time, ...rest }) => rest)).toEqual([
      { method: 'GET', path: `/${fixture.tenantId}/v2.0/.well-known/openid-configuration`, status: 200 },
      { method: 'POST', path: tokenPath(), grantType: 'client_credentials', clientId: fixture.clientId, status: 200 },
      {
        method: 'POST',
        path: tokenPath(),
        grantType: 'client_credentials',
        clientId: fixture.publicClientId,
        status: 401,
      },
    ]);
    expect(Date.parse(String(entries[0]?.['time']))).toBeGreaterThan(Date.now() - 60_000);
    const filtered = (
      await client.get(`/_emulator/requests?clientId=${fixture.publicClientId.toUpperCase()}`)
    ).json() as unknown as unknown[];
    expect(filtered).toHaveLength(1);
  });

  it('never records secrets, refresh tokens or access tokens', async () => {
    const basic = `Basic ${Buffer.from(`${fixture.clientId}:${encodeURIComponent(fixture.trickySecret)}`).toString('base64')}`;
    const appToken = String((await client.postForm(tokenPath(), clientCredentialsForm())).json()['access_token']);
    await client.postForm(tokenPath(), clientCredentialsForm({ client_id: undefined, client_secret: undefined }), {
      authorization: basic,
    });
    await client.postForm(tokenPath(), clientCredentialsForm({ client_secret: fixture.expiredSecret }));
    const refreshToken = emulator.mintRefreshToken({
      tenantId: fixture.tenantId,
      clientId: fixture.clientId,
      scopes: ['User.Read'],
    });
    const refreshed = (
      await client.postForm(tokenPath(), {
        grant_type: 'refresh_token',
        client_id: fixture.clientId,
        client_secret: fixture.trickySecret,
        refresh_token: refreshToken,
      })
    ).json();
    await client.get('/_emulator/api/me', { authorization: `Bearer ${appToken}` });
    const logged = [JSON.stringify(emulator.requests), (await client.get('/_emulator/requests')).text];
    const secrets = [
      fixture.secret,
      fixture.trickySecret,
      encodeURIComponent(fixture.trickySecret),
      fixture.expiredSecret,
      basic.slice(6),
      appToken,
      refreshToken,
      String(refreshed['refresh_token']),
      String(refreshed['access_token']),
    ];
    for (const text of logged) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    expect(emulator.requests.at(-1)).toMatchObject({ method: 'GET', path: '/_emulator/api/me', status: 200 });
  });

  it('reset clears the log', async () => {
    await client.get(`/${fixture.tenantId}/discovery/v2.0/keys`);
    emulator.reset();
    expect(emulator.requests).toEqual([]);
  });

  it('answers unknown admin operations with 404 and bad JSON with 400', async () => {
    expect((await client.get('/_emulator/nothing')).status).toBe(404);
    const badJson = await client.postForm('/_emulator/faults', { not: 'json' });
    expect([badJson.status, badJson.json()['error']]).toEqual([400, 'bad_request']);
  });
});
