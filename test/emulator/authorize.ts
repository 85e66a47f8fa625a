// GET/POST /{tenant}/oauth2/v2.0/authorize: the browser leg of the authorization code flow (doc §2.6). GET checks the
// request and shows the sign-in page; POST (the page's form) redirects to the app with a code or an error.
import type { AuthorizationRequest } from './authorizationCodes.js';
import { errorPage, signInPage, type TestUser } from './authorizePage.js';
import type { EmulatorContext } from './context.js';
import { resolveDelegatedScopes } from './delegatedScopes.js';
import { homeTenantFor } from './deviceAuthorization.js';
import type { DirectoryApp, DirectoryTenant } from './directory.js';
import { aadsts, StsError } from './errors.js';
import { requirePreauthorized } from './firstParty.js';
import { stableGuid } from './ids.js';
import { isRegisteredRedirectUri } from './redirectUris.js';
import type { Reply } from './http.js';
import { parseScopeParameter } from './scopes.js';
import type { StsRequest } from './stsRequest.js';
import { requireTenant } from './tenantSegment.js';

const noStore = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' } as const;

/** Two users per tenant; the first is the one device code sign-ins get, so both flows see the same person. */
export function testUsers(tenant: DirectoryTenant): TestUser[] {
  const domain = tenant.domains[0] ?? tenant.id;
  return [
    { userId: stableGuid(`user:${tenant.id}`), userName: `user@${domain}`, displayName: 'Emulated User' },
    { userId: stableGuid(`admin:${tenant.id}`), userName: `admin@${domain}`, displayName: 'Emulated Admin' },
  ];
}

function htmlReply(status: number, html: string): Reply {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...noStore }, body: html };
}

/** Back to the app: 302 to the redirect URI with the parameters (and state, echoed). */
function redirectTo(redirectUri: string, params: Record<string, string>, state: string | undefined): Reply {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  if (state !== undefined) target.searchParams.set('state', state);
  return { status: 302, headers: { Location: target.toString(), ...noStore }, body: '' };
}

function errorRedirect(redirectUri: string, error: StsError, sts: StsRequest, state: string | undefined): Reply {
  return redirectTo(
    redirectUri,
    {
      error: error.error,
      error_description: `${error.message} Trace ID: ${sts.traceId} Correlation ID: ${sts.correlationId} Timestamp: ${sts.receivedAt.toISOString()}`,
      error_uri: `https://login.microsoftonline.com/error?code=${error.code}`,
      trace_id: sts.traceId,
      correlation_id: sts.correlationId,
    },
    state,
  );
}

interface Checked {
  readonly request: AuthorizationRequest;
  readonly app: DirectoryApp;
  readonly home: DirectoryTenant;
}

/** The checks whose failure Entra shows on its own page: the app and where to send the answer are not known yet. */
function checkClientAndRedirect(
  query: URLSearchParams,
  tenantSegment: string,
  ctx: EmulatorContext,
): { app: DirectoryApp; home: DirectoryTenant; tenant: string; redirectUri: string } {
  const tenant = requireTenant(ctx.directory, tenantSegment, 'invalid_request');
  const clientId = query.get('client_id');
  if (!clientId) throw aadsts.missingParameter('client_id');
  const home = homeTenantFor(tenant, clientId, ctx);
  const app = home && ctx.directory.findApp(home, clientId);
  if (!home || !app) throw aadsts.applicationNotFound(clientId, tenant.segment);
  const redirectUri = query.get('redirect_uri');
  if (!redirectUri) throw aadsts.missingParameter('redirect_uri');
  if (!isRegisteredRedirectUri(app, redirectUri)) throw aadsts.redirectUriMismatch(redirectUri, app.clientId);
  return { app, home, tenant: tenant.segment, redirectUri };
}

/** The checks whose failure goes back to the app as `error=` on the redirect. */
function checkRequest(
  query: URLSearchParams,
  base: ReturnType<typeof checkClientAndRedirect>,
  ctx: EmulatorContext,
): Checked {
  const responseType = query.get('response_type') ?? '';
  if (responseType !== 'code') throw aadsts.unsupportedResponseType(responseType);
  const scopes = parseScopeParameter(query.get('scope') ?? undefined);
  if (scopes.length === 0) throw aadsts.missingParameter('scope');
  const codeChallenge = query.get('code_challenge');
  // Stricter than Entra for native apps (where PKCE is optional): the emulator wants it, so a client without it fails.
  if (!codeChallenge) throw aadsts.pkceRequired();
  const method = query.get('code_challenge_method') ?? 'plain';
  if (method !== 'S256' && method !== 'plain') throw aadsts.unsupportedChallengeMethod(method);
  resolveDelegatedScopes(scopes, scopes, ctx.directory, base.tenant);
  requirePreauthorized(base.app, scopes, ctx.directory);
  if (query.get('prompt') === 'none') throw aadsts.loginRequired();
  return {
    app: base.app,
    home: base.home,
    request: {
      tenantSegment: base.tenant,
      tenantId: base.home.id,
      clientId: base.app.clientId,
      redirectUri: base.redirectUri,
      scopes,
      state: query.get('state') ?? undefined,
      nonce: query.get('nonce') ?? undefined,
      codeChallenge,
      codeChallengeMethod: method,
      prompt: query.get('prompt') ?? undefined,
      loginHint: query.get('login_hint') ?? undefined,
    },
  };
}

function showSignIn(sts: StsRequest, tenantSegment: string, ctx: EmulatorContext): Reply {
  let base: ReturnType<typeof checkClientAndRedirect>;
  try {
    base = checkClientAndRedirect(sts.url.searchParams, tenantSegment, ctx);
  } catch (error) {
    if (error instanceof StsError) return htmlReply(400, errorPage(error));
    throw error;
  }
  try {
    const checked = checkRequest(sts.url.searchParams, base, ctx);
    const id = ctx.authorizations.open(checked.request);
    return htmlReply(200, signInPage(id, checked.request, checked.app.name, testUsers(checked.home)));
  } catch (error) {
    if (error instanceof StsError)
      return errorRedirect(base.redirectUri, error, sts, sts.url.searchParams.get('state') ?? undefined);
    throw error;
  }
}

function finishSignIn(sts: StsRequest, ctx: EmulatorContext): Reply {
  const request = ctx.authorizations.take(sts.form.get('request_id') ?? '');
  if (request === undefined) return htmlReply(400, errorPage(aadsts.missingParameter('request_id')));
  if (sts.form.get('action') !== 'approve')
    return errorRedirect(request.redirectUri, aadsts.userDeclinedConsent(), sts, request.state);
  const home = ctx.directory.findTenant(request.tenantId);
  const user = home && testUsers(home).find((candidate) => candidate.userName === sts.form.get('user'));
  if (!user) return htmlReply(400, errorPage(aadsts.missingParameter('user')));
  const code = ctx.authorizations.issue(request, user, ctx.now() + ctx.authorizationCodeLifetimeSeconds * 1000);
  return redirectTo(request.redirectUri, { code }, request.state);
}

export function handleAuthorize(sts: StsRequest, tenantSegment: string, ctx: EmulatorContext): Reply {
  if (sts.method === 'GET') return showSignIn(sts, tenantSegment, ctx);
  if (sts.method === 'POST') return finishSignIn(sts, ctx);
  return htmlReply(405, errorPage(aadsts.postOnly(sts.method)));
}
