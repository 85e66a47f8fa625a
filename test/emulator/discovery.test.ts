// OIDC discovery document and JWKS: fields, tenant substitution, tenant errors (doc §1, §0.4, §0.5).
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { clientCredentialsForm, expectStsError, fixture, tokenPath, type TestClient, useEmulator } from './harness.js';
import type { Emulator } from './index.js';

describe('discovery', () => {
  let emulator: Emulator;
  let client: TestClient;
  useEmulator((running) => ({ emulator, client } = running));

  it('serves the v2.0 document with the emulator host and the tenant GUID', async () => {
    const response = await client.get(`/${fixture.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const root = `${emulator.url}/${fixture.tenantId}`;
    expect(response.json()).toMatchObject({
      issuer: `${root}/v2.0`,
      token_endpoint: `${root}/oauth2/v2.0/token`,
      authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
      jwks_uri: `${root}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      tenant_region_scope: null,
      cloud_instance_name: 'microsoftonline.com',
      msgraph_host: 'graph.microsoft.com',
    });
  });

  it('resolves a verified domain to the tenant GUID, also on the v1-style path', async () => {
    const response = await client.get(`/${fixture.domain}/.well-known/openid-configuration`);
    expect(response.json()).toMatchObject({
      issuer: `${emulator.url}/${fixture.tenantId}/v2.0`,
      token_endpoint: `${emulator.url}/${fixture.tenantId}/oauth2/v2.0/token`,
    });
  });

  it('keeps the {tenantid} placeholder in the issuer for /common', async () => {
    const response = await client.get('/common/v2.0/.well-known/openid-configuration');
    expect(response.json()).toMatchObject({
      issuer: `${emulator.url}/{tenantid}/v2.0`,
      token_endpoint: `${emulator.url}/common/oauth2/v2.0/token`,
    });
  });

  it('answers an unknown tenant with 400 invalid_tenant AADSTS90002', async () => {
    const response = await client.get(`/${fixture.unknownTenantId}/v2.0/.well-known/openid-configuration`);
    const body = expectStsError(response, 400, 'invalid_tenant', 90002);
    expect(body['error_description']).toContain(`Tenant '${fixture.unknownTenantId}' not found.`);
  });

  it('answers a malformed tenant with AADSTS900023', async () => {
    const response = await client.get('/not_a-tenant/v2.0/.well-known/openid-configuration');
    const body = expectStsError(response, 400, 'invalid_tenant', 900023);
    expect(body['error_description']).toContain(
      "Specified tenant identifier 'not_a-tenant' is neither a valid DNS name",
    );
  });

  it('serves a JWKS whose key signs the access tokens', async () => {
    const keys = await client.get(`/${fixture.tenantId}/discovery/v2.0/keys`);
    expect(keys.status).toBe(200);
    const [key] = keys.json()['keys'] as Array<Record<string, unknown>>;
    expect(key).toMatchObject({ kty: 'RSA', use: 'sig', e: 'AQAB', issuer: `${emulator.url}/{tenantid}/v2.0` });
    expect(key).not.toHaveProperty('d');
    const token = await client.postForm(tokenPath(), clientCredentialsForm());
    expect(decodeProtectedHeader(String(token.json()['access_token']))).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: key?.['kid'],
    });
  });
});
