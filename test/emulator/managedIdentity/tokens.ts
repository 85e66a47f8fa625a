// Access tokens for managed identities: signed with the emulator key, audience = the requested resource.
import type { EmulatorContext } from '../context.js';
import type { DirectoryResource } from '../directory.js';
import { mintAccessToken } from '../tokens.js';
import { managedIdentityData, type ManagedIdentity } from './identities.js';

export interface ManagedIdentityToken {
  readonly accessToken: string;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresOn: number;
  readonly lifetimeSeconds: number;
}

export async function issueManagedIdentityToken(
  identity: ManagedIdentity,
  resource: DirectoryResource,
  ctx: EmulatorContext,
): Promise<ManagedIdentityToken> {
  const issuedAt = Math.floor(ctx.now() / 1000);
  const roles =
    Object.entries(managedIdentityData.appRoles).find(
      ([uri]) => ctx.directory.findResource(uri)?.uri === resource.uri,
    )?.[1] ?? [];
  const accessToken = await mintAccessToken(
    ctx.signingKey,
    ctx.url,
    {
      tenantId: managedIdentityData.tenantId,
      clientId: identity.clientId,
      objectId: identity.objectId,
      audience: resource.uri,
      clientAuth: '1',
      grant: { idtyp: 'app', roles },
    },
    { issuedAt, lifetimeSeconds: ctx.tokenLifetimeSeconds },
  );
  return {
    accessToken,
    issuedAt,
    expiresOn: issuedAt + ctx.tokenLifetimeSeconds,
    lifetimeSeconds: ctx.tokenLifetimeSeconds,
  };
}
