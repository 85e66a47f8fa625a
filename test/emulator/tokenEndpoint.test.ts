// Token endpoint transport and dispatch: method, tenant segment, resource=, grant_type, correlation ids (doc §2.1, §2.2, §5).
import { describe, expect, it } from 'vitest';
import { clientCredentialsForm, expectStsError, fixture, tokenPath, type TestClient, useEmulator } from './harness.js';

describe('token endpoint', () => {
  let client: TestClient;
  useEmulator((running) => ({ client } = running));

  it('rejects GET with AADSTS900561', async () => {
    const body = expectStsError(await client.get(tokenPath()), 400, 'invalid_request', 900561);
    expect(body['error_description']).toContain('Received a GET request.');
  });

  it('rejects a malformed tenant with AADSTS900023', async () => {
    expectStsError(await client.postForm(tokenPath('bc88430d-6289'), clientCredentialsForm()), 400, 'invalid_request', 900023);
  });

  it('rejects an unknown tenant with invalid_request AADSTS90002', async () => {
    expectStsError(await client.postForm(tokenPath(fixture.unknownTenantId), clientCredentialsForm()), 400, 'invalid_request', 90002);
    expectStsError(await client.postForm(tokenPath('nowhere.example'), clientCredentialsForm()), 400, 'invalid_request', 90002);
  });

  it.each(['common', 'organizations', 'consumers'])('rejects client_credentials on /%s with AADSTS9001023', async (tenant) => {
    expectStsError(await client.postForm(tokenPath(tenant), clientCredentialsForm()), 400, 'invalid_request', 9001023);
  });

  it('accepts a verified domain as tenant', async () => {
    const response = await client.postForm(tokenPath(fixture.domain), clientCredentialsForm());
    expect(response.status).toBe(200);
  });

  it('rejects the v1 resource parameter with AADSTS901002', async () => {
    const form = clientCredentialsForm({ scope: undefined, resource: 'https://graph.microsoft.com' });
    expectStsError(await client.postForm(tokenPath(), form), 400, 'invalid_request', 901002);
  });

  it('requires grant_type (AADSTS900144) and rejects unknown grants (AADSTS70003)', async () => {
    const missing = expectStsError(await client.postForm(tokenPath(), clientCredentialsForm({ grant_type: undefined })), 400, 'invalid_request', 900144);
    expect(missing['error_description']).toContain("The request body must contain the following parameter: 'grant_type'.");
    expectStsError(await client.postForm(tokenPath(), clientCredentialsForm({ grant_type: 'password' })), 400, 'unsupported_grant_type', 70003);
  });

  it('echoes client-request-id from the header, the query string or the form as correlation_id', async () => {
    const ids = ['4a0b0bb2-0000-4000-8000-000000000001', '4a0b0bb2-0000-4000-8000-000000000002', '4a0b0bb2-0000-4000-8000-000000000003'];
    const wrong = clientCredentialsForm({ client_secret: 'wrong' });
    const viaHeader = await client.postForm(tokenPath(), wrong, { 'client-request-id': ids[0] ?? '' });
    const viaQuery = await client.postForm(`${tokenPath()}?client-request-id=${ids[1]}`, wrong);
    const viaForm = await client.postForm(tokenPath(), { ...wrong, 'client-request-id': ids[2] ?? '' });
    expect([viaHeader, viaQuery, viaForm].map((response) => expectStsError(response, 401, 'invalid_client', 7000215)['correlation_id'])).toEqual(ids);
  });

  it('makes up a GUID correlation_id when none is sent', async () => {
    const body = expectStsError(await client.postForm(tokenPath(), clientCredentialsForm({ client_secret: 'wrong' })), 401, 'invalid_client', 7000215);
    expect(body['correlation_id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(body['correlation_id']).not.toBe(body['trace_id']);
  });

  it('ignores MSAL telemetry fields and tolerates a query string', async () => {
    const form = clientCredentialsForm({
      'x-client-SKU': 'msal.js.node', 'x-client-VER': '7.2.3', 'x-ms-lib-capability': 'retry-after, h429', client_info: '1', claims: '{}',
    });
    const response = await client.postForm(`${tokenPath()}?client-request-id=abc&foo=bar`, form);
    expect(response.status).toBe(200);
  });

  it('answers unknown paths with 404', async () => {
    expect((await client.get(`/${fixture.tenantId}/oauth2/token`)).status).toBe(404);
  });
});
