// The emulator's RS256 signing key, its JWKS, and v1-style access tokens (claims per docs/entra-protocol.md §10 "Access-token content").
import {
  calculateJwkThumbprint, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload,
} from 'jose';
import { uniqueTokenId } from './ids.js';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicKey, publicJwk: { ...jwk, kid, use: 'sig' } };
}

/** JWKS document; `issuer` keeps the `{tenantid}` placeholder as the real keys endpoint does. */
export function jwks(key: SigningKey, baseUrl: string): { keys: Array<JWK & { issuer: string }> } {
  return { keys: [{ ...key.publicJwk, issuer: `${baseUrl}/{tenantid}/v2.0` }] };
}

/** Who the token is for and about. */
export interface AccessTokenSubject {
  readonly tenantId: string;
  readonly clientId: string;
  /** Object id of the service principal (app tokens) or of the user (delegated tokens). */
  readonly objectId: string;
  /** Resource URI as registered (v1 audience). */
  readonly audience: string;
  /** `appidacr`: "0" public client, "1" client secret, "2" certificate. */
  readonly clientAuth: '0' | '1' | '2';
  readonly grant: { readonly idtyp: 'app'; readonly roles: readonly string[] } | { readonly idtyp: 'user'; readonly scp: string };
}

export interface AccessTokenTiming {
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly lifetimeSeconds: number;
}

/** Signs a v1.0 access token; `iss` is `<baseUrl>/<tid>/`, the emulator's stand-in for `https://sts.windows.net/<tid>/`. */
export async function mintAccessToken(key: SigningKey, baseUrl: string, subject: AccessTokenSubject, timing: AccessTokenTiming): Promise<string> {
  const { grant } = subject;
  const grantClaims = grant.idtyp === 'app'
    ? (grant.roles.length > 0 ? { roles: [...grant.roles] } : {})
    : { scp: grant.scp };
  const claims: JWTPayload = {
    aud: subject.audience,
    iss: `${baseUrl}/${subject.tenantId}/`,
    iat: timing.issuedAt,
    nbf: timing.issuedAt,
    exp: timing.issuedAt + timing.lifetimeSeconds,
    appid: subject.clientId,
    azp: subject.clientId,
    appidacr: subject.clientAuth,
    idtyp: grant.idtyp,
    oid: subject.objectId,
    sub: subject.objectId,
    tid: subject.tenantId,
    uti: uniqueTokenId(),
    ver: '1.0',
    ...grantClaims,
  };
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid }).sign(key.privateKey);
}

/** Verifies signature, `exp` and `nbf` against the emulator key; throws a jose error otherwise. */
export async function verifyAccessToken(key: SigningKey, token: string, now: Date): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, key.publicKey, { algorithms: ['RS256'], currentDate: now });
  return payload;
}

/** Who signed in, for the id token of user flows. */
export interface IdTokenSubject {
  readonly tenantId: string;
  readonly clientId: string;
  readonly userId: string;
  readonly userName: string;
  /** The authorize request's nonce, echoed in the id token (OIDC Core 3.1.3.7). */
  readonly nonce?: string | undefined;
}

/** A v2.0 id token (doc §2.7 and §11.8): decodable, signed by the emulator key, `aud` = the client id. */
export async function mintIdToken(key: SigningKey, baseUrl: string, subject: IdTokenSubject, timing: AccessTokenTiming): Promise<string> {
  const claims: JWTPayload = {
    aud: subject.clientId,
    iss: `${baseUrl}/${subject.tenantId}/v2.0`,
    iat: timing.issuedAt,
    nbf: timing.issuedAt,
    exp: timing.issuedAt + timing.lifetimeSeconds,
    name: 'Emulated User',
    oid: subject.userId,
    preferred_username: subject.userName,
    sub: subject.userId,
    tid: subject.tenantId,
    ver: '2.0',
    ...(subject.nonce === undefined ? {} : { nonce: subject.nonce }),
  };
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid }).sign(key.privateKey);
}
