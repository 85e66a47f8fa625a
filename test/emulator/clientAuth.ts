// Client authentication at the token endpoint: client_secret in the body or HTTP Basic (doc §2.1, §5.2).
import type { DirectoryApp } from './directory.js';
import { aadsts } from './errors.js';

export interface ClientCredentials {
  readonly clientId: string | undefined;
  readonly secret: string | undefined;
}

/** `appidacr`: "0" public client (no credential), "1" client secret. */
export type ClientAuthMethod = '0' | '1';

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

/** Body parameters win over the Basic header. */
export function readClientCredentials(form: URLSearchParams, authorization: string | undefined): ClientCredentials {
  const basic = parseBasic(authorization);
  return {
    clientId: nonEmpty(form.get('client_id')) ?? basic?.clientId,
    secret: nonEmpty(form.get('client_secret')) ?? basic?.secret,
  };
}

/** Checks the credential against the app registration; throws the matching AADSTS error. */
export function authenticateClient(app: DirectoryApp, credentials: ClientCredentials): ClientAuthMethod {
  if (app.publicClient) {
    if (credentials.secret !== undefined) throw aadsts.publicClientWithSecret();
    return '0';
  }
  if (credentials.secret === undefined) throw aadsts.missingClientCredential();
  // Only values match: a secret's id is rejected like any wrong value (7000215 says so).
  const secret = app.secrets.find((candidate) => candidate.value === credentials.secret);
  if (!secret) throw aadsts.invalidClientSecret(app.clientId);
  if (secret.expired) throw aadsts.expiredClientSecret(app.clientId);
  return '1';
}
