// GET /v1.0/applications(appId='{appId}'): the Microsoft Graph read of an app registration, as far as the diagnostics'
// secret expiry check needs it: the app's passwordCredentials, shaped as Graph's passwordCredential resource (hint:
// the first three characters of the secret; secretText: null once created). Graph's error JSON for 401, 403 and 404.
import { errors } from 'jose';
import type { EmulatorContext } from './context.js';
import type { DirectoryApp, DirectorySecret } from './directory.js';
import { jsonReply, withHeaders, type Reply } from './http.js';
import { verifyAccessToken } from './tokens.js';

export const graphApplicationPath = /^\/v1\.0\/applications\(appId='([^']*)'\)$/;

/** Graph's audiences: its resource URI in the global cloud (the emulator's tokens name it) and its app id. */
const GRAPH_AUDIENCES = new Set(['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000']);

/**
 * Application permissions with which Graph lets an app read any registration of its tenant. Application.ReadWrite.OwnedBy
 * reads only the apps the app owns, and no fixture app owns itself: Graph refuses it (403).
 */
const READ_ANY_APPLICATION = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'];

const DAY_MS = 86_400_000;

/** Graph's error body; its innerError's date follows the emulator's clock. */
function graphError(status: number, code: string, message: string, now: number): Reply {
  return jsonReply(status, { error: { code, message, innerError: { date: new Date(now).toISOString() } } });
}

/** A fixture secret as Graph shows it: end date relative to the emulator's clock (endsInDays), never its value. */
function passwordCredential(app: DirectoryApp, secret: DirectorySecret, now: number): Record<string, unknown> {
  const ends = now + (secret.endsInDays ?? (secret.expired ? -1 : 365)) * DAY_MS;
  return {
    customKeyIdentifier: null,
    displayName: secret.displayName ?? `${app.name} secret`,
    endDateTime: new Date(ends).toISOString(),
    hint: secret.value.slice(0, 3),
    keyId: secret.id,
    secretText: null,
    startDateTime: new Date(Math.min(now, ends) - 30 * DAY_MS).toISOString(),
  };
}

export async function handleGraphApplication(
  appId: string,
  url: URL,
  authorization: string | undefined,
  ctx: EmulatorContext,
): Promise<Reply> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const unauthenticated = (message: string) =>
    withHeaders(graphError(401, 'InvalidAuthenticationToken', message, ctx.now()), { 'WWW-Authenticate': 'Bearer' });
  if (token === undefined) return unauthenticated('Access token is empty.');
  let claims;
  try {
    claims = await verifyAccessToken(ctx.signingKey, token, new Date(ctx.now()));
  } catch (error) {
    if (error instanceof errors.JOSEError) return unauthenticated(`Access token validation failure: ${error.code}.`);
    throw error;
  }
  if (typeof claims.aud !== 'string' || !GRAPH_AUDIENCES.has(claims.aud))
    return unauthenticated('Access token validation failure. Invalid audience.');
  const roles = Array.isArray(claims['roles']) ? (claims['roles'] as unknown[]) : [];
  if (!READ_ANY_APPLICATION.some((role) => roles.includes(role)))
    return graphError(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
      ctx.now(),
    );
  const tenant = typeof claims['tid'] === 'string' ? ctx.directory.findTenant(claims['tid']) : undefined;
  const app = tenant === undefined ? undefined : ctx.directory.findApp(tenant, appId);
  if (app === undefined)
    return graphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${appId}' does not exist or one of its queried reference-property objects are not present.`,
      ctx.now(),
    );
  const now = ctx.now();
  const all: Record<string, unknown> = {
    id: app.clientId,
    appId: app.clientId,
    displayName: app.name,
    passwordCredentials: app.secrets.map((secret) => passwordCredential(app, secret, now)),
  };
  const select = url.searchParams
    .get('$select')
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name in all);
  const shown =
    select === undefined || select.length === 0 ? all : Object.fromEntries(select.map((name) => [name, all[name]]));
  return jsonReply(200, {
    '@odata.context': `${ctx.url}/v1.0/$metadata#applications(${Object.keys(shown).join(',')})/$entity`,
    ...shown,
  });
}
