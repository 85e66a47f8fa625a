// PKCE (RFC 7636) and the random values of an authorization request: verifier, S256 challenge, state, nonce.

import { createHash, randomBytes } from 'node:crypto'

export interface Pkce {
  /** 43 characters of base64url (32 random bytes), RFC 7636 section 4.1; stays in the core, never in a URL. */
  verifier: string
  /** base64url(SHA-256(verifier)), RFC 7636 section 4.2. */
  challenge: string
  method: 'S256'
}

/** The S256 challenge of a verifier. */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url')
}

/** A fresh verifier and its S256 challenge (as msal-node's PkceGenerator makes them: 32 random bytes, base64url). */
export function createPkce(random: (size: number) => Buffer = randomBytes): Pkce {
  const verifier = random(32).toString('base64url')
  return { verifier, challenge: s256Challenge(verifier), method: 'S256' }
}

/** An unguessable value for `state` or `nonce` (128 bits, base64url). */
export function randomToken(random: (size: number) => Buffer = randomBytes): string {
  return random(16).toString('base64url')
}
