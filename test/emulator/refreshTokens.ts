// Refresh tokens the emulator knows: minted by tests or issued by the refresh grant; single use (rotation).
import { opaqueToken } from './ids.js';

/** What a refresh token stands for: a user's consent for a client in a tenant. */
export interface RefreshGrant {
  readonly tenantId: string;
  readonly clientId: string;
  readonly userId: string;
  /** Scopes granted when the token was minted; `.default` requests expand to these. */
  readonly scopes: readonly string[];
}

export interface RefreshTokenStore {
  issue(grant: RefreshGrant): string;
  find(token: string): RefreshGrant | undefined;
  /** Redeems a token: it stops working and a new one for the same grant is returned. */
  rotate(token: string): string;
}

export function createRefreshTokenStore(): RefreshTokenStore {
  const grants = new Map<string, RefreshGrant>();
  const issue = (grant: RefreshGrant): string => {
    const token = opaqueToken('1.A');
    grants.set(token, grant);
    return token;
  };
  return {
    issue,
    find: (token) => grants.get(token),
    rotate(token) {
      const grant = grants.get(token);
      if (!grant) throw new Error('rotate() needs a known refresh token');
      grants.delete(token);
      return issue(grant);
    },
  };
}
