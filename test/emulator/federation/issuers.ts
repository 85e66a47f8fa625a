// The external identity providers the emulator plays (GitHub Actions, a Kubernetes cluster): their keys and the tokens they issue.
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import federation from '../../fixtures/federation.json' with { type: 'json' };

export const federationData = federation;

/** The audience Entra expects in federated assertions (docs/entra-protocol.md §6.3 "How Entra validates a federated assertion"). */
export const tokenExchangeAudience = 'api://AzureADTokenExchange';

export interface FederatedTokenRequest {
  /** Issuer URL; default the Kubernetes one. An issuer the emulator does not know signs with a stray key. */
  readonly issuer?: string;
  readonly subject: string;
  readonly audience?: string;
  readonly lifetimeSeconds?: number;
  /** Seconds since the epoch; default now. */
  readonly issuedAt?: number;
}

export interface ExternalIssuers {
  /** Signs an RS256 token as the named issuer would. */
  mint(request: FederatedTokenRequest, now: number): string;
  /** True when the token's signature verifies with the issuer's key, as Entra checks it through the issuer's JWKS. */
  verifySignature(token: string, issuer: string): boolean;
  isKnown(issuer: string): boolean;
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function createExternalIssuers(): ExternalIssuers {
  const newKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>(Object.values(federation.issuers).map((issuer) => [issuer, newKey()]));
  const stray = newKey();
  return {
    isKnown: (issuer) => keys.has(issuer),
    mint(request, now) {
      const issuer = request.issuer ?? federation.issuers.kubernetes;
      const iat = request.issuedAt ?? Math.floor(now / 1000);
      const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'emulated-issuer-key' })}.${encode({
        iss: issuer,
        sub: request.subject,
        aud: request.audience ?? tokenExchangeAudience,
        iat,
        nbf: iat,
        exp: iat + (request.lifetimeSeconds ?? 3600),
      })}`;
      return `${input}.${sign('sha256', Buffer.from(input), (keys.get(issuer) ?? stray).privateKey).toString('base64url')}`;
    },
    verifySignature(token, issuer) {
      const key = keys.get(issuer);
      const [header, payload, signature] = token.split('.');
      if (key === undefined || header === undefined || payload === undefined || signature === undefined) return false;
      return verify('sha256', Buffer.from(`${header}.${payload}`), key.publicKey, Buffer.from(signature, 'base64url'));
    },
  };
}
