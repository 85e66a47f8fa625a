// What the diagnostics need the emulator to fail on: a Date header of its clock, a listener signed by another CA,
// a protected API that wants an app role, and an app without admin consent.
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import directory from '../fixtures/directory.json' with { type: 'json' };
import { clientCredentialsForm, fixture, tokenPath, useEmulator, type RunningEmulator } from './harness.js';
import { EMULATOR_CA_NAME, INSPECTING_CA_NAME } from './tls.js';

const noConsent = directory.tenants[0]!.apps.find((app) => app.name === 'no-consent')!;

function issuerOf(url: string, ca: string): Promise<{ issuer: string; authorized: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca, rejectUnauthorized: false }, () => {
      resolve({ issuer: String(socket.getPeerCertificate().issuer.CN), authorized: socket.authorized });
      socket.end();
    });
    socket.once('error', reject);
  });
}

describe('emulator support for the diagnostics', () => {
  let running!: RunningEmulator;
  useEmulator((value) => (running = value));

  it('sends a Date header of its own clock, moved by POST /_emulator/clock', async () => {
    running.emulator.setClockOffset(600);
    const response = await running.client.get(`/${fixture.tenantId}/v2.0/.well-known/openid-configuration`);
    const date = Date.parse(String(response.headers['date']));
    expect(date - Date.now()).toBeGreaterThan(590_000);
    expect(date - Date.now()).toBeLessThan(610_000);
    running.emulator.reset();
  });

  it('serves a second listener whose certificate another, untrusted CA signed', async () => {
    expect(await issuerOf(running.emulator.url, running.emulator.caPem)).toEqual({
      issuer: EMULATOR_CA_NAME,
      authorized: true,
    });
    expect(await issuerOf(running.emulator.inspectingUrl, running.emulator.caPem)).toEqual({
      issuer: INSPECTING_CA_NAME,
      authorized: false,
    });
  });

  it('issues the no-consent app tokens without roles, which the protected API refuses with 403 when a role is asked for', async () => {
    const form = clientCredentialsForm({ client_id: noConsent.clientId, client_secret: noConsent.secrets[0]!.value });
    const token = await running.client.postForm(tokenPath(), form);
    expect(token.status).toBe(200);
    const accessToken = String(token.json()['access_token']);
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(payload['roles']).toBeUndefined();
    const me = await running.client.get('/_emulator/api/me', { authorization: `Bearer ${accessToken}` });
    expect(me.status).toBe(200);
    const denied = await running.client.get('/_emulator/api/me?role=User.Read.All', {
      authorization: `Bearer ${accessToken}`,
    });
    expect(denied.status).toBe(403);
    expect(denied.json()['error']).toMatchObject({ code: 'Authorization_RequestDenied' });
  });
});
