// The protected test resource /_emulator/api/me: accepts emulator tokens, rejects tampered, foreign and expired ones.
import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { clientCredentialsForm, fixture, tokenPath, type TestClient, useEmulator } from './harness.js';
import type { Emulator } from './index.js';

describe('protected API', () => {
  let emulator: Emulator;
  let client: TestClient;
  useEmulator((running) => ({ emulator, client } = running));

  const me = (token: string) => client.get('/_emulator/api/me', { authorization: `Bearer ${token}` });
  const appToken = async () =>
    String((await client.postForm(tokenPath(), clientCredentialsForm())).json()['access_token']);

  it('accepts an app token and describes it', async () => {
    const response = await me(await appToken());
    expect(response.status).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      appId: fixture.clientId,
      tenantId: fixture.tenantId,
      roles: fixture.graphRoles,
      scp: null,
      aud: 'https://graph.microsoft.com',
    });
    expect(body['exp']).toBeGreaterThan(Date.now() / 1000);
  });

  it('accepts a delegated token and reports scp', async () => {
    const refreshToken = emulator.mintRefreshToken({
      tenantId: fixture.tenantId,
      clientId: fixture.clientId,
      scopes: ['User.Read'],
    });
    const refreshed = await client.postForm(tokenPath(), {
      grant_type: 'refresh_token',
      client_id: fixture.clientId,
      client_secret: fixture.secret,
      refresh_token: refreshToken,
      scope: 'User.Read',
    });
    const body = (await me(String(refreshed.json()['access_token']))).json();
    expect(body).toMatchObject({ scp: 'User.Read', roles: [] });
  });

  it('rejects a tampered token with WWW-Authenticate invalid_token', async () => {
    const [header, payload, signature] = (await appToken()).split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['Directory.ReadWrite.All'] })).toString('base64url');
    const response = await me(`${header}.${forged}.${signature}`);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(
      /^Bearer error="invalid_token", error_description="ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
    );
  });

  it('rejects a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ appid: fixture.clientId })
      .setProtectedHeader({ alg: 'RS256' })
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await me(foreign)).headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('rejects an expired token', async () => {
    // The emulator's clock moved past the token's expiry: deterministic, no waiting on a short-lived token.
    const token = await appToken();
    expect((await me(token)).status).toBe(200);
    emulator.setClockOffset(2 * 3600);
    try {
      const response = await me(token);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toContain('ERR_JWT_EXPIRED');
    } finally {
      emulator.setClockOffset(0);
    }
  });

  it('challenges a request without a token, with no error code (RFC 6750 §3.1)', async () => {
    const response = await client.get('/_emulator/api/me');
    expect([response.status, response.headers['www-authenticate']]).toEqual([401, 'Bearer']);
  });
});
