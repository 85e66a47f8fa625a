// Scripted faults: every kind, consumption order, client and endpoint matching, admin validation.
import { Agent, request } from 'undici';
import { beforeEach, describe, expect, it } from 'vitest';
import { clientCredentialsForm, expectStsError, fixture, tokenPath, type TestClient, useEmulator } from './harness.js';
import { EmulatorInputError, type Emulator, type Fault } from './index.js';

describe('faults', () => {
  let emulator: Emulator;
  let client: TestClient;
  useEmulator((running) => ({ emulator, client } = running));
  beforeEach(() => emulator.reset());

  const token = () => client.postForm(tokenPath(), clientCredentialsForm());
  const withFault = async (fault: Fault) => {
    emulator.injectFaults({ responses: [fault] });
    return token();
  };

  it('429 answers plain-text Too Many Requests by default, with Retry-After seconds', async () => {
    const response = await withFault({ status: 429, retryAfter: '1' });
    expect(response.status).toBe(429);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['retry-after']).toBe('1');
    expect(response.text).toBe('Too Many Requests');
  });

  it('429 can carry a JSON error body and an HTTP-date Retry-After', async () => {
    const date = 'Wed, 21 Oct 2037 07:28:00 GMT';
    const response = await withFault({ status: 429, retryAfter: date, body: 'json' });
    expect(response.headers['retry-after']).toBe(date);
    expectStsError(response, 429, 'temporarily_unavailable', 90055);
  });

  it('500 and 503 answer JSON error bodies; 502 and 504 a gateway text', async () => {
    expectStsError(await withFault({ status: 500 }), 500, 'server_error', 90033);
    const busy = expectStsError(await withFault({ status: 503 }), 503, 'temporarily_unavailable', 90033);
    expect(busy['error_description']).toContain('The server is temporarily too busy to handle the request.');
    const badGateway = await withFault({ status: 502 });
    expect([badGateway.status, badGateway.text]).toEqual([502, 'Bad Gateway']);
    const gatewayTimeout = await withFault({ status: 504 });
    expect([gatewayTimeout.status, gatewayTimeout.text]).toEqual([504, 'Gateway Timeout']);
  });

  it('html answers 200 with a login page', async () => {
    const response = await withFault({ kind: 'html' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<title>Sign in to your account</title>');
  });

  it('truncated answers 200 application/json that does not parse', async () => {
    const response = await withFault({ kind: 'truncated' });
    expect([response.status, response.headers['content-type']]).toEqual([200, 'application/json; charset=utf-8']);
    expect(() => response.json()).toThrow(SyntaxError);
  });

  it('noAccessToken answers 200 JSON without access_token', async () => {
    const response = await withFault({ kind: 'noAccessToken' });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
  });

  it("json answers the body and status of the test's choosing (a hostile server)", async () => {
    const body = { error: 'invalid_client', error_description: '\u001b]52;c;ZXZpbA==\u0007 hostile' };
    const response = await withFault({ kind: 'json', status: 401, body });
    expect(response.status).toBe(401);
    expect(response.json()).toEqual(body);
  });

  it('expiresIn answers the normal token with that lifetime, even 0, negative or huge; an error answer stays as it is', async () => {
    for (const seconds of [0, -60, 1e20]) {
      const response = await withFault({ kind: 'expiresIn', seconds });
      expect(response.status).toBe(200);
      expect(response.json()).toMatchObject({
        token_type: 'Bearer',
        expires_in: seconds,
        ext_expires_in: seconds,
        access_token: expect.stringMatching(/^eyJ/),
      });
    }
    emulator.injectFaults({ responses: [{ kind: 'expiresIn', seconds: -60 }] });
    expect((await client.postForm(tokenPath(), clientCredentialsForm({ client_secret: 'wrong' }))).status).toBe(401);
  });

  it('reset drops the connection and logs status 0', async () => {
    await expect(withFault({ kind: 'reset' })).rejects.toThrow();
    expect(emulator.requests.at(-1)).toMatchObject({ grantType: 'client_credentials', status: 0 });
  });

  it('delay waits, then answers normally', async () => {
    const started = Date.now();
    const response = await withFault({ kind: 'delay', ms: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(response.status).toBe(200);
  });

  it('delay does not process a request whose client has gone (the refresh token stays valid)', async () => {
    const refreshToken = emulator.mintRefreshToken({
      tenantId: fixture.tenantId,
      clientId: fixture.clientId,
      scopes: ['User.Read'],
    });
    const form = {
      grant_type: 'refresh_token',
      client_id: fixture.clientId,
      client_secret: fixture.secret,
      refresh_token: refreshToken,
    };
    emulator.injectFaults({ responses: [{ kind: 'delay', ms: 400 }] });
    const dispatcher = new Agent({ connect: { ca: emulator.caPem }, keepAliveTimeout: 10 });
    const aborted = request(`${emulator.url}${tokenPath()}`, {
      method: 'POST',
      dispatcher,
      signal: AbortSignal.timeout(100),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    await expect(aborted).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await dispatcher.close();
    expect(emulator.requests.at(-1)).toMatchObject({ grantType: 'refresh_token', status: 0 });
    expect((await client.postForm(tokenPath(), form)).status).toBe(200);
  });

  it('consumes faults one per request, in order, then answers normally', async () => {
    emulator.injectFaults({ responses: [{ status: 503 }, { status: 500 }] });
    expect([(await token()).status, (await token()).status, (await token()).status]).toEqual([503, 500, 200]);
  });

  it('applies a clientId-scoped fault only to that client', async () => {
    emulator.injectFaults({ clientId: fixture.publicClientId, responses: [{ status: 503 }] });
    expect((await token()).status).toBe(200);
    const publicClient = await client.postForm(
      tokenPath(),
      clientCredentialsForm({ client_id: fixture.publicClientId, client_secret: undefined }),
    );
    expect(publicClient.status).toBe(503);
  });

  it('targets the token endpoint by default, discovery or any on request', async () => {
    const discovery = () => client.get(`/${fixture.tenantId}/v2.0/.well-known/openid-configuration`);
    emulator.injectFaults({ responses: [{ status: 502 }] });
    expect((await discovery()).status).toBe(200);
    expect((await token()).status).toBe(502);
    emulator.injectFaults({ path: 'discovery', responses: [{ status: 504 }] });
    expect((await token()).status).toBe(200);
    expect((await discovery()).status).toBe(504);
    emulator.injectFaults({ path: 'any', responses: [{ status: 502 }, { status: 502 }] });
    expect((await client.get(`/${fixture.tenantId}/discovery/v2.0/keys`)).status).toBe(502);
    expect((await token()).status).toBe(502);
  });

  it('queues faults over the admin API and reset clears them', async () => {
    const queued = await client.postJson('/_emulator/faults', {
      clientId: fixture.clientId,
      path: 'token',
      responses: [{ status: 429 }, { kind: 'html' }],
    });
    expect(queued.json()).toEqual({ queued: 2 });
    expect((await token()).status).toBe(429);
    expect((await client.postJson('/_emulator/reset', {})).status).toBe(204);
    expect((await token()).status).toBe(200);
  });

  it.each([
    { responses: [] },
    { responses: [{ status: 418 }] },
    { responses: [{ kind: 'delay' }] },
    { responses: [{ status: 429, retryAfter: 'soon' }] },
    { path: 'authorize', responses: [{ status: 500 }] },
    { responses: [{ kind: 'json', status: 99, body: {} }] },
    { responses: [{ kind: 'json', status: 200 }] },
    { responses: [{ kind: 'json', status: 200, body: ['not', 'an', 'object'] }] },
  ])('rejects invalid injection %j', async (injection) => {
    const response = await client.postJson('/_emulator/faults', injection);
    expect(response.status).toBe(400);
    expect(response.json()['error']).toBe('bad_request');
    expect(() => emulator.injectFaults(injection as never)).toThrow(EmulatorInputError);
  });
});
