// The managed identity endpoints' quirks, seen over plain HTTP (and pinned https for Service Fabric).
import { existsSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import managedIdentities from '../fixtures/managedIdentities.json' with { type: 'json' };
import { startEmulator, type Emulator } from './index.js';

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: Record<string, unknown> };

async function call(
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; dispatcher?: Agent } = {},
): Promise<Answer> {
  const response = await request(url, {
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
    ...(init.body === undefined ? {} : { body: init.body }),
    ...(init.dispatcher ? { dispatcher: init.dispatcher } : {}),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

describe('managed identity endpoints', () => {
  let emulator: Emulator;
  const user = managedIdentities.userAssigned[0]!;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => emulator?.close());

  const imds = (query: string, headers: Record<string, string> = { Metadata: 'true' }) =>
    call(`${emulator.managedIdentity.url}/metadata/identity/oauth2/token${query}`, { headers });

  it('IMDS: 400 bad_request_102 without the Metadata header (what probes see)', async () => {
    expect(await imds('', {})).toMatchObject({ status: 400, body: { error: 'bad_request_102' } });
  });

  it('IMDS: numbers as strings, expires_on consistent with the token', async () => {
    const answer = await imds('?api-version=2018-02-01&resource=https://management.azure.com/');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      resource: 'https://management.azure.com/',
      token_type: 'Bearer',
      client_id: managedIdentities.systemAssigned.clientId,
      expires_in: expect.stringMatching(/^\d+$/),
      expires_on: expect.stringMatching(/^\d+$/),
    });
  });

  it('IMDS: user-assigned by client_id, object_id or msi_res_id; unknown ids are "Identity not found"', async () => {
    for (const query of [
      `client_id=${user.clientId}`,
      `object_id=${user.objectId}`,
      `msi_res_id=${encodeURIComponent(user.resourceId)}`,
    ]) {
      expect(
        (await imds(`?api-version=2018-02-01&resource=https://management.azure.com&${query}`)).body.client_id,
      ).toBe(user.clientId);
    }
    expect(
      await imds(
        '?api-version=2018-02-01&resource=https://management.azure.com&client_id=00000000-0000-0000-0000-000000000000',
      ),
    ).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: 'Identity not found' } });
  });

  it('App Service: needs X-IDENTITY-HEADER and 2019-08-01; errors carry statusCode, message, correlationId', async () => {
    const url = `${emulator.managedIdentity.appServiceEndpoint}?api-version=2019-08-01&resource=https://vault.azure.net`;
    expect(await call(url)).toMatchObject({
      status: 401,
      body: { statusCode: 401, message: expect.any(String), correlationId: expect.any(String) },
    });
    const ok = await call(url, { headers: { 'X-IDENTITY-HEADER': managedIdentities.identityHeader } });
    expect(ok.body).toMatchObject({ resource: 'https://vault.azure.net', expires_on: expect.stringMatching(/^\d+$/) });
    expect(
      await call(`${url}&principal_id=${user.objectId}`, {
        headers: { 'X-IDENTITY-HEADER': managedIdentities.identityHeader },
      }),
    ).toMatchObject({ status: 200, body: { client_id: user.clientId } });
    expect(
      await call(`${url}&client_id=00000000-0000-0000-0000-000000000000`, {
        headers: { 'X-IDENTITY-HEADER': managedIdentities.identityHeader },
      }),
    ).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/No User Assigned or Delegated Managed Identity found/) },
    });
  });

  it('Machine Learning: expires_on as a date string', async () => {
    const answer = await call(
      `${emulator.managedIdentity.machineLearningEndpoint}?api-version=2017-09-01&resource=https://management.azure.com`,
      { headers: { secret: managedIdentities.machineLearningSecret, Metadata: 'true' } },
    );
    expect(answer.body.expires_on).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} \+00:00$/);
  });

  it('Cloud Shell: POST with the resource in the form; errors as {error: {code, message}}', async () => {
    const form = {
      method: 'POST' as const,
      headers: { Metadata: 'true', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'resource=https%3A%2F%2Fmanagement.azure.com',
    };
    expect((await call(emulator.managedIdentity.cloudShellEndpoint, form)).status).toBe(200);
    expect(
      await call(emulator.managedIdentity.cloudShellEndpoint, { ...form, body: 'resource=https%3A%2F%2Fnope.example' }),
    ).toMatchObject({ status: 400, body: { error: { code: 'BadRequest' } } });
  });

  it('Arc: a 401 challenge naming a key file in the agent folder, then the token for its content', async () => {
    const url = `${emulator.managedIdentity.arcEndpoint}?api-version=2020-06-01&resource=https://management.azure.com`;
    const challenge = await call(url, { headers: { Metadata: 'true' } });
    expect(challenge.status).toBe(401);
    const realm = String(challenge.headers['www-authenticate']).replace(/^Basic realm=/, '');
    expect(realm).toMatch(/^\/var\/opt\/azcmagent\/tokens\/[0-9a-f-]+\.key$/);
    const { readFileSync } = await import('node:fs');
    const key = readFileSync(realm, 'utf8');
    expect(await call(url, { headers: { Metadata: 'true', Authorization: `Basic ${key}` } })).toMatchObject({
      status: 200,
      body: { token_type: 'Bearer' },
    });
    expect(existsSync(realm)).toBe(false);
    expect((await call(url, { headers: { Metadata: 'true', Authorization: `Basic ${key}` } })).status).toBe(401);
  });

  it('Service Fabric: https with the thumbprint it publishes, numeric expires_on, secret header', async () => {
    const dispatcher = new Agent({ connect: { ca: emulator.caPem } });
    try {
      const url = `${emulator.managedIdentity.serviceFabricEndpoint}?api-version=2019-07-01-preview&resource=https://vault.azure.net`;
      expect((await call(url, { dispatcher })).status).toBe(401);
      const answer = await call(url, { headers: { secret: managedIdentities.serviceFabricSecret }, dispatcher });
      expect(typeof answer.body.expires_on).toBe('number');
      expect(emulator.managedIdentity.serviceFabricThumbprint).toMatch(/^[0-9A-F]{40}$/);
    } finally {
      await dispatcher.close();
    }
  });

  it('a delay for managedIdentity holds a probe too, as a busy IMDS answers everything slowly', async () => {
    emulator.injectFaults({ path: 'managedIdentity', responses: [{ kind: 'delay', ms: 300 }] });
    const started = Date.now();
    expect((await imds('', {})).status).toBe(400);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('faults for managedIdentity: 410 then success; probes never get a status fault', async () => {
    emulator.injectFaults({ path: 'managedIdentity', responses: [{ status: 410 }] });
    expect((await imds('', {})).status).toBe(400);
    expect((await imds('?api-version=2018-02-01&resource=https://management.azure.com')).status).toBe(410);
    expect((await imds('?api-version=2018-02-01&resource=https://management.azure.com')).status).toBe(200);
  });
});
