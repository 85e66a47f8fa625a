// grant_type=client_credentials: an app-only token for exactly one `<resource>/.default` scope (doc §2.3).
import { authenticateClient } from '../clientAuth.js';
import type { Directory, DirectoryResource } from '../directory.js';
import { aadsts } from '../errors.js';
import { stableGuid } from '../ids.js';
import { defaultSuffix, parseScopeParameter, resourceKey } from '../scopes.js';
import { mintAccessToken } from '../tokens.js';
import { epochSeconds, requireParameter, type GrantHandler } from './grant.js';

function requireSingleResource(
  scopeParameter: string | null,
  directory: Directory,
  tenantName: string,
): DirectoryResource {
  const scopes = parseScopeParameter(scopeParameter ?? undefined);
  if (scopes.length === 0) throw aadsts.missingParameter('scope');
  const withoutDefault = scopes.find((scope) => !scope.endsWith(defaultSuffix));
  if (withoutDefault !== undefined) throw aadsts.scopeWithoutDefault(withoutDefault);
  const resources = new Map(
    scopes.map((scope) => {
      const resource = scope.slice(0, -defaultSuffix.length);
      return [resourceKey(resource), resource] as const;
    }),
  );
  const [requested, ...others] = [...resources.values()];
  if (requested === undefined || others.length > 0) throw aadsts.multipleResources(scopes.join(' '));
  const resource = directory.findResource(requested);
  if (!resource) throw aadsts.resourceNotFound(requested, tenantName);
  return resource;
}

export const clientCredentialsGrant: GrantHandler = async ({ sts, tenant, client }, ctx) => {
  if (tenant.kind === 'multi') throw aadsts.grantNotSupportedOnMultiTenant();
  const clientId = requireParameter(client.clientId, 'client_id');
  const app = ctx.directory.findApp(tenant.tenant, clientId);
  if (!app) throw aadsts.applicationNotFound(clientId, tenant.segment);
  const clientAuth = authenticateClient(app, client, { tenant: tenant.tenant, sts, ctx });
  if (clientAuth === '0') throw aadsts.missingClientCredential();
  const resource = requireSingleResource(sts.form.get('scope'), ctx.directory, tenant.segment);
  const lifetime = ctx.tokenLifetimeSeconds;
  const accessToken = await mintAccessToken(
    ctx.signingKey,
    sts.baseUrl,
    {
      tenantId: tenant.tenant.id,
      clientId: app.clientId,
      objectId: stableGuid(`service-principal:${tenant.tenant.id}:${app.clientId}`),
      audience: resource.uri,
      clientAuth,
      grant: { idtyp: 'app', roles: ctx.directory.appRoles(app, resource) },
    },
    { issuedAt: epochSeconds(ctx.now()), lifetimeSeconds: lifetime },
  );
  return { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken };
};
