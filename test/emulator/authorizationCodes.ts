// Browser sign-ins the emulator holds: pending ones (the page is open) and issued codes (single use, short-lived).
import { opaqueToken } from './ids.js';

/** What the authorize request asked for, kept while the sign-in page is open and bound to the code after. */
export interface AuthorizationRequest {
  readonly tenantSegment: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state: string | undefined;
  readonly nonce: string | undefined;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: 'S256' | 'plain';
  readonly prompt: string | undefined;
  readonly loginHint: string | undefined;
}

export interface IssuedCode extends AuthorizationRequest {
  readonly userId: string;
  readonly userName: string;
  readonly expiresAt: number;
}

export interface AuthorizationStore {
  /** Keeps a pending sign-in; returns the id the page posts back. */
  open(request: AuthorizationRequest): string;
  /** Takes a pending sign-in (once). */
  take(id: string): AuthorizationRequest | undefined;
  issue(request: AuthorizationRequest, user: { userId: string; userName: string }, expiresAt: number): string;
  /** Redeems a code: it works once, a second use finds it spent. */
  redeem(code: string): IssuedCode | 'spent' | undefined;
}

export function createAuthorizationStore(): AuthorizationStore {
  const pending = new Map<string, AuthorizationRequest>();
  const codes = new Map<string, IssuedCode>();
  const spent = new Set<string>();
  return {
    open(request) {
      const id = opaqueToken('req.');
      pending.set(id, request);
      return id;
    },
    take(id) {
      const request = pending.get(id);
      pending.delete(id);
      return request;
    },
    issue(request, user, expiresAt) {
      const code = opaqueToken('1.AC.');
      codes.set(code, { ...request, ...user, expiresAt });
      return code;
    },
    redeem(code) {
      if (spent.has(code)) return 'spent';
      const issued = codes.get(code);
      if (issued === undefined) return undefined;
      codes.delete(code);
      spent.add(code);
      return issued;
    },
  };
}
