// Client authentication at the token endpoint: client_secret in the body or HTTP Basic, or a certificate assertion (doc §2.1, §3, §5.2).
import { decodeAssertion, verifyCertificateAssertion } from './certificateAssertion.js';
import type { EmulatorContext } from './context.js';
import type { DirectoryApp, DirectoryTenant } from './directory.js';
import { aadsts } from './errors.js';
import { isFederatedAssertion, verifyFederatedAssertion } from './federation/validate.js';
import type { StsRequest } from './stsRequest.js';

export interface ClientCredentials {
  readonly clientId: string | undefined;
  readonly secret: string | undefined;
  /** `client_assertion`, with its `client_assertion_type`. */
  readonly assertion: string | undefined;
  readonly assertionType: string | undefined;
}

/** `appidacr`: "0" public client (no credential), "1" client secret, "2" certificate. */
export type ClientAuthMethod = '0' | '1' | '2';

/** RFC 7523 §2.2. */
export const jwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Where the request came in: what a certificate assertion is checked against. */
export interface ClientAuthContext {
  readonly tenant: DirectoryTenant;
  readonly sts: StsRequest;
  readonly ctx: EmulatorContext;
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** `Authorization: Basic base64(urlencode(client_id):urlencode(secret))` (RFC 6749 §2.3.1). */
function parseBasic(authorization: string | undefined): { clientId: string; secret: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

const nonEmpty = (value: string | null | undefined): string | undefined => (value ? value : undefined);

/** The subject of an assertion, read without verifying it: the client id when the body has none (RFC 7523 §3). */
function assertionSubject(assertion: string | undefined): string | undefined {
  const sub = assertion === undefined ? undefined : decodeAssertion(assertion)?.claims['sub'];
  return typeof sub === 'string' && sub !== '' ? sub : undefined;
}

/** Body parameters win over the Basic header. */
export function readClientCredentials(form: URLSearchParams, authorization: string | undefined): ClientCredentials {
  const basic = parseBasic(authorization);
  const assertion = nonEmpty(form.get('client_assertion'));
  return {
    clientId: nonEmpty(form.get('client_id')) ?? basic?.clientId ?? assertionSubject(assertion),
    secret: nonEmpty(form.get('client_secret')) ?? basic?.secret,
    assertion,
    assertionType: nonEmpty(form.get('client_assertion_type')),
  };
}

function authenticateWithAssertion(
  app: DirectoryApp,
  assertion: string,
  type: string | undefined,
  where: ClientAuthContext,
): ClientAuthMethod {
  if (type !== jwtBearerAssertionType) throw aadsts.missingParameter('client_assertion_type');
  if (isFederatedAssertion(assertion)) {
    verifyFederatedAssertion(assertion, app.clientId, where.ctx.issuers, where.sts.receivedAt);
    return '2';
  }
  verifyCertificateAssertion(assertion, {
    app,
    tenant: where.tenant,
    baseUrl: where.sts.baseUrl,
    emulatorUrl: where.ctx.url,
    credentials: where.ctx.certificates.forApp(where.tenant.id, app.clientId),
    now: where.sts.receivedAt,
  });
  return '2';
}

/** Checks the credential against the app registration; throws the matching AADSTS error. */
export function authenticateClient(
  app: DirectoryApp,
  credentials: ClientCredentials,
  where: ClientAuthContext,
): ClientAuthMethod {
  if (app.publicClient) {
    if (credentials.secret !== undefined || credentials.assertion !== undefined) throw aadsts.publicClientWithSecret();
    return '0';
  }
  if (credentials.assertion !== undefined)
    return authenticateWithAssertion(app, credentials.assertion, credentials.assertionType, where);
  if (credentials.secret === undefined) throw aadsts.missingClientCredential();
  // Only values match: a secret's id is rejected like any wrong value (7000215 says so).
  const secret = app.secrets.find((candidate) => candidate.value === credentials.secret);
  if (!secret) throw aadsts.invalidClientSecret(app.clientId);
  if (secret.expired) throw aadsts.expiredClientSecret(app.clientId);
  return '1';
}
