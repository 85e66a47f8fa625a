// OIDC discovery document and JWKS under /{tenant}/ (doc §1, §0.4, §0.5).
import type { EmulatorContext } from './context.js';
import type { TenantRef } from './directory.js';
import { errorReply, StsError } from './errors.js';
import { jsonReply, type Reply } from './http.js';
import type { StsRequest } from './stsRequest.js';
import { requireTenant } from './tenantSegment.js';
import { jwks } from './tokens.js';

/** The real document's field set; endpoints use the tenant GUID, `/common` keeps `{tenantid}` in the issuer. */
function openIdConfiguration(baseUrl: string, tenant: TenantRef): Record<string, unknown> {
  const path = tenant.kind === 'tenant' ? tenant.tenant.id : tenant.segment;
  const issuerTenant = tenant.kind === 'tenant' ? tenant.tenant.id : '{tenantid}';
  const root = `${baseUrl}/${path}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${root}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${baseUrl}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${root}/kerberos`,
    tenant_region_scope: null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

function withTenant(
  sts: StsRequest,
  tenantSegment: string,
  ctx: EmulatorContext,
  body: (tenant: TenantRef) => unknown,
): Reply {
  try {
    return jsonReply(200, body(requireTenant(ctx.directory, tenantSegment, 'invalid_tenant')));
  } catch (error) {
    if (error instanceof StsError) return errorReply(error, sts, sts.receivedAt);
    throw error;
  }
}

export function handleDiscovery(sts: StsRequest, tenantSegment: string, ctx: EmulatorContext): Reply {
  return withTenant(sts, tenantSegment, ctx, (tenant) => openIdConfiguration(sts.baseUrl, tenant));
}

export function handleKeys(sts: StsRequest, tenantSegment: string, ctx: EmulatorContext): Reply {
  return withTenant(sts, tenantSegment, ctx, () => jwks(ctx.signingKey, sts.baseUrl));
}
