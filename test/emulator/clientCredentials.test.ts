// client_credentials grant: success shape and claims, client authentication and scope errors (doc §2.3, §5.2, §9, §10).
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { clientCredentialsForm, expectStsError, fixture, tokenPath, type TestClient, useEmulator } from './harness.js';
import type { Emulator } from './index.js';

const basic = (clientId: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('client_credentials', () => {
  let emulator: Emulator;
  let client: TestClient;
  useEmulator((running) => ({ emulator, client } = running), { tokenLifetimeSeconds: 1234 });

  const token = async (overrides: Record<string, string | undefined> = {}, headers: Record<string, string> = {}) =>
    client.postForm(tokenPath(), clientCredentialsForm(overrides), headers);

  it('returns exactly token_type, expires_in, ext_expires_in, access_token with no-store headers', async () => {
    const response = await token();
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store, no-cache');
    expect(response.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const body = response.json();
    expect(Object.keys(body)).toEqual(['token_type', 'expires_in', 'ext_expires_in', 'access_token']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 1234, ext_expires_in: 1234 });
  });

  it('issues a v1-style app token: aud, iss, times, ids, roles', async () => {
    const before = Math.floor(Date.now() / 1000);
    const claims = decodeJwt(String((await token()).json()['access_token']));
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `${emulator.url}/${fixture.tenantId}/`,
      tid: fixture.tenantId,
      appid: fixture.clientId,
      azp: fixture.clientId,
      appidacr: '1',
      idtyp: 'app',
      ver: '1.0',
      roles: fixture.graphRoles,
    });
    expect(claims['oid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.exp).toBe((claims.iat ?? 0) + 1234);
    expect(claims).not.toHaveProperty('scp');
  });

  it('omits roles when the app has none for the resource', async () => {
    const claims = decodeJwt(
      String((await token({ scope: 'https://management.azure.com/.default' })).json()['access_token']),
    );
    expect(claims.aud).toBe('https://management.azure.com');
    expect(claims).not.toHaveProperty('roles');
  });

  it.each([
    ['https://management.core.windows.net//.default', 'https://management.core.windows.net/'],
    ['https://management.core.windows.net/.default', 'https://management.core.windows.net/'],
    ['https://GRAPH.Microsoft.com/.default', 'https://graph.microsoft.com'],
    ['https://graph.microsoft.com//.default', 'https://graph.microsoft.com'],
  ])('matches scope %s to resource %s (case-insensitive host, one trailing slash)', async (scope, audience) => {
    const response = await token({ scope });
    expect(decodeJwt(String(response.json()['access_token'])).aud).toBe(audience);
  });

  it.each([
    ['https://graph.microsoft.us/.default', ['User.Read.All']],
    ['https://microsoftgraph.chinacloudapi.cn/.default', ['User.Read.All']],
    ['https://vault.azure.net/.default', undefined],
  ])('issues national-cloud and other registered resources: %s', async (scope, roles) => {
    const claims = decodeJwt(String((await token({ scope })).json()['access_token']));
    expect([claims.aud, claims['roles']]).toEqual([scope.slice(0, -'/.default'.length), roles]);
  });

  it('accepts the secret with + & = % space ü in the body and via HTTP Basic', async () => {
    expect((await token({ client_secret: fixture.trickySecret })).status).toBe(200);
    const viaBasic = await token(
      { client_id: undefined, client_secret: undefined },
      { authorization: basic(fixture.clientId, fixture.trickySecret) },
    );
    expect(viaBasic.status).toBe(200);
  });

  it('requires client_id (AADSTS900144)', async () => {
    const body = expectStsError(await token({ client_id: undefined }), 400, 'invalid_request', 900144);
    expect(body['error_description']).toContain("The request body must contain the following parameter: 'client_id'.");
  });

  it('rejects an app that is not in the tenant (AADSTS700016)', async () => {
    const response = await client.postForm(tokenPath(fixture.otherTenantId), clientCredentialsForm());
    const body = expectStsError(response, 400, 'unauthorized_client', 700016);
    expect(body['error_description']).toContain(
      `Application with identifier '${fixture.clientId}' was not found in the directory '${fixture.otherTenantId}'.`,
    );
  });

  it('requires a credential (AADSTS7000218)', async () => {
    const body = expectStsError(await token({ client_secret: undefined }), 401, 'invalid_client', 7000218);
    expect(body['error_description']).toContain("'client_assertion' or 'client_secret'");
  });

  it.each([
    ['a wrong secret', 'wrong-secret'],
    ['the secret ID instead of its value', fixture.secretId],
  ])('rejects %s (AADSTS7000215)', async (_, secret) => {
    const body = expectStsError(await token({ client_secret: secret }), 401, 'invalid_client', 7000215);
    expect(body['error_description']).toContain(
      `not the client secret ID, for a secret added to app '${fixture.clientId}'.`,
    );
  });

  it('rejects a wrong secret sent via HTTP Basic (AADSTS7000215)', async () => {
    const response = await token(
      { client_id: undefined, client_secret: undefined },
      { authorization: basic(fixture.clientId, 'wrong') },
    );
    expectStsError(response, 401, 'invalid_client', 7000215);
  });

  it('rejects an expired secret (AADSTS7000222)', async () => {
    const body = expectStsError(await token({ client_secret: fixture.expiredSecret }), 401, 'invalid_client', 7000222);
    expect(body['error_description']).toContain(
      `The provided client secret keys for app '${fixture.clientId}' are expired.`,
    );
  });

  it('rejects a public client presenting a secret (AADSTS700025) and without one (AADSTS7000218)', async () => {
    expectStsError(await token({ client_id: fixture.publicClientId }), 401, 'invalid_client', 700025);
    expectStsError(
      await token({ client_id: fixture.publicClientId, client_secret: undefined }),
      401,
      'invalid_client',
      7000218,
    );
  });

  it('requires scope (AADSTS900144)', async () => {
    const body = expectStsError(await token({ scope: undefined }), 400, 'invalid_request', 900144);
    expect(body['error_description']).toContain("parameter: 'scope'.");
  });

  it.each([
    'https://graph.microsoft.com/User.Read',
    'User.Read',
    'https://graph.microsoft.com/.default offline_access',
  ])('rejects scope %s without /.default (AADSTS1002012)', async (scope) => {
    const body = expectStsError(await token({ scope }), 400, 'invalid_scope', 1002012);
    expect(body['error_description']).toContain(
      'Client credential flows must have a scope value with /.default suffixed',
    );
  });

  it('rejects scopes for several resources (AADSTS700022)', async () => {
    const scope = 'https://graph.microsoft.com/.default https://vault.azure.net/.default';
    const body = expectStsError(await token({ scope }), 400, 'invalid_scope', 700022);
    expect(body['error_description']).toContain(`Scope ${scope} is not valid.`);
  });

  it('rejects a resource that is not registered (AADSTS500011)', async () => {
    const body = expectStsError(
      await token({ scope: 'https://unknown.example.com/.default' }),
      400,
      'invalid_resource',
      500011,
    );
    expect(body['error_description']).toContain(
      'The resource principal named https://unknown.example.com was not found',
    );
  });
});
