// The authorize endpoint and the authorization_code grant: redirect URI rules, PKCE, single-use short-lived codes,
// state and nonce echoed, first-party preauthorization (AADSTS65002). HTTP only; test/browser drives the page.
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import directory from '../fixtures/directory.json' with { type: 'json' };
import { expectStsError, tokenPath, useEmulator, type RunningEmulator } from './harness.js';

const tenant = directory.tenants[0]!;
const app = (name: string) => tenant.apps.find((candidate) => candidate.name === name)!;
const graphTools = app('microsoft-graph-command-line-tools');
const publicCli = app('public-cli');
const azureCli = app('azure-cli');
const automation = app('automation');
const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const challenge = createHash('sha256').update(verifier).digest('base64url');

interface Authorize {
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  state?: string;
  nonce?: string;
  prompt?: string;
  [name: string]: string | undefined;
}

function authorizePath(fields: Authorize, tenantSegment = 'organizations'): string {
  const query = new URLSearchParams();
  const all: Authorize = {
    client_id: graphTools.clientId,
    response_type: 'code',
    redirect_uri: 'http://localhost:53117/',
    scope: 'User.Read.All openid profile offline_access',
    state: 'state-123',
    nonce: 'nonce-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...fields,
  };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) query.set(name, value);
  return `/${tenantSegment}/oauth2/v2.0/authorize?${query.toString()}`;
}

describe('authorize endpoint and authorization_code grant', () => {
  let running: RunningEmulator;
  useEmulator((value) => (running = value), { authorizationCodeLifetimeSeconds: 2 });

  /** Opens the page, then posts the page's form as a user who approves (or declines); returns the redirect. */
  async function signIn(fields: Authorize = {}, action = 'approve', tenantSegment = 'organizations'): Promise<URL> {
    const page = await running.client.get(authorizePath(fields, tenantSegment));
    expect(page.status, page.text).toBe(200);
    const requestId = /name="request_id" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const user = /id="user-0" name="user" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const answer = await running.client.postForm(`/${tenantSegment}/oauth2/v2.0/authorize`, {
      request_id: requestId,
      user,
      action,
    });
    expect(answer.status).toBe(302);
    return new URL(String(answer.headers['location']));
  }

  const redeem = (code: string, overrides: Record<string, string | undefined> = {}) => {
    const fields: Record<string, string | undefined> = {
      grant_type: 'authorization_code',
      client_id: graphTools.clientId,
      code,
      redirect_uri: 'http://localhost:53117/',
      code_verifier: verifier,
      scope: 'User.Read.All openid profile offline_access',
      ...overrides,
    };
    return running.client.postForm(
      tokenPath('organizations'),
      Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    );
  };

  it('shows the sign-in page with test users and permissions; approval redirects with a code and the state', async () => {
    const page = await running.client.get(
      authorizePath({ login_hint: 'admin@contoso.onmicrosoft.com', prompt: 'consent' }),
    );
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('User.Read.All');
    expect(page.text).toMatch(/id="user-1" name="user" value="admin@contoso.onmicrosoft.com" checked/);
    expect(page.text).toContain('data-prompt="consent"');
    const redirect = await signIn();
    expect(`${redirect.origin}${redirect.pathname}`).toBe('http://localhost:53117/');
    expect(redirect.searchParams.get('state')).toBe('state-123');
    expect(redirect.searchParams.get('code')).toMatch(/^1\.AC\./);
  });

  it('redeems a code once with the right verifier: a user token with scp, a refresh token, an id token with the nonce', async () => {
    const code = (await signIn()).searchParams.get('code')!;
    const response = await redeem(code);
    expect(response.status, response.text).toBe(200);
    const body = response.json();
    expect(decodeJwt(String(body['access_token']))).toMatchObject({
      appid: graphTools.clientId,
      scp: 'User.Read.All',
      idtyp: 'user',
      tid: tenant.id,
    });
    expect(body['refresh_token']).toEqual(expect.any(String));
    expect(decodeJwt(String(body['id_token']))).toMatchObject({
      nonce: 'nonce-456',
      aud: graphTools.clientId,
      preferred_username: 'user@contoso.onmicrosoft.com',
    });
    expectStsError(await redeem(code), 400, 'invalid_grant', 54005);
  });

  it('refuses a wrong or missing code_verifier (PKCE), and the code is spent after the attempt', async () => {
    const code = (await signIn()).searchParams.get('code')!;
    expectStsError(await redeem(code, { code_verifier: `${verifier.slice(0, -1)}x` }), 400, 'invalid_grant', 501481);
    expectStsError(await redeem(code), 400, 'invalid_grant', 54005);
    const another = (await signIn()).searchParams.get('code')!;
    expectStsError(await redeem(another, { code_verifier: undefined }), 400, 'invalid_request', 50148);
  });

  it('a plain challenge (or none named) is compared as it is', async () => {
    const code = (await signIn({ code_challenge: verifier, code_challenge_method: undefined })).searchParams.get(
      'code',
    )!;
    expect((await redeem(code)).status).toBe(200);
  });

  it('codes are short-lived (AADSTS70008 after the lifetime) and bound to their redirect URI and client', async () => {
    const code = (await signIn()).searchParams.get('code')!;
    running.emulator.setClockOffset(3);
    try {
      expectStsError(await redeem(code), 400, 'invalid_grant', 70008);
    } finally {
      running.emulator.setClockOffset(0);
    }
    const moved = (await signIn()).searchParams.get('code')!;
    expectStsError(await redeem(moved, { redirect_uri: 'http://localhost:1/' }), 400, 'invalid_grant', 70000);
    const stolen = (await signIn()).searchParams.get('code')!;
    expectStsError(await redeem(stolen, { client_id: publicCli.clientId }), 400, 'invalid_grant', 70000);
  });

  it('public-client redirect URIs: loopback on any port with the exact path; anything else gets the error page (AADSTS50011)', async () => {
    for (const uri of ['http://localhost/', 'http://localhost:1/', 'http://localhost:65535']) {
      expect((await running.client.get(authorizePath({ redirect_uri: uri }))).status).toBe(200);
    }
    expect(
      (
        await running.client.get(
          authorizePath({
            client_id: publicCli.clientId,
            scope: 'User.Read',
            redirect_uri: 'http://localhost:8400/callback',
          }),
        )
      ).status,
    ).toBe(200);
    for (const uri of [
      'http://localhost:8400/other',
      'https://localhost:8400/',
      'http://evil.example/',
      'http://localhost:8400/?x=1',
    ]) {
      const page = await running.client.get(authorizePath({ redirect_uri: uri }));
      expect(page.status, uri).toBe(400);
      expect(page.text).toContain('data-error-code="50011"');
      expect(page.headers['location']).toBeUndefined();
    }
    // A confidential app without a desktop platform has no redirect URI to use.
    expect((await running.client.get(authorizePath({ client_id: automation.clientId }))).text).toContain(
      'data-error-code="50011"',
    );
  });

  it('errors after the redirect URI is known go back to the app as error= with the state', async () => {
    const noPkce = await running.client.get(
      authorizePath({ code_challenge: undefined, code_challenge_method: undefined }),
    );
    const location = new URL(String(noPkce.headers['location']));
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS9002325: /);
    expect(location.searchParams.get('state')).toBe('state-123');
    const declined = await signIn({}, 'decline');
    expect(declined.searchParams.get('error')).toBe('access_denied');
    expect(declined.searchParams.get('error_description')).toMatch(/^AADSTS65004: /);
    expect(declined.searchParams.get('state')).toBe('state-123');
    const silent = new URL(String((await running.client.get(authorizePath({ prompt: 'none' }))).headers['location']));
    expect(silent.searchParams.get('error')).toBe('login_required');
  });

  it('first-party clients: the Azure CLI gets AADSTS65002 for Graph User.Read.All, the Graph tools client does not', async () => {
    const refused = await running.client.get(authorizePath({ client_id: azureCli.clientId }));
    const location = new URL(String(refused.headers['location']));
    expect(location.searchParams.get('error')).toBe('invalid_client');
    expect(location.searchParams.get('error_description')).toMatch(
      /^AADSTS65002: Consent between first party application '04b07795-8ddb-461a-bbee-02f9e1bf7b46' and first party resource '00000003-0000-0000-c000-000000000000' must be configured via preauthorization/,
    );
    // Preauthorized ones pass: User.Read for the Azure CLI, anything in Graph for the Graph tools.
    expect(
      (await running.client.get(authorizePath({ client_id: azureCli.clientId, scope: 'User.Read openid' }))).status,
    ).toBe(200);
    expect((await running.client.get(authorizePath({ scope: 'Directory.ReadWrite.All Group.Read.All' }))).status).toBe(
      200,
    );
    // The same rule on the device code endpoint and the refresh grant.
    expectStsError(
      await running.client.postForm('/organizations/oauth2/v2.0/devicecode', {
        client_id: azureCli.clientId,
        scope: 'https://graph.microsoft.com/User.Read.All',
      }),
      400,
      'invalid_client',
      65002,
    );
  });
});
