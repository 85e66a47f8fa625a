// Maps a request path to its handler and to the fault target it belongs to.
import type { EmulatorContext } from './context.js';
import { handleDiscovery, handleKeys } from './discovery.js';
import { githubTokenPath, handleGithubToken } from './federation/githubActions.js';
import { handleAuthorize } from './authorize.js';
import { handleDeviceAuthorization } from './deviceAuthorization.js';
import type { FaultTarget } from './faults.js';
import type { Reply } from './http.js';
import { graphApplicationPath, handleGraphApplication } from './graphApplications.js';
import { handleProtectedApi } from './protectedApi.js';
import type { StsRequest } from './stsRequest.js';
import { handleTokenRequest } from './tokenEndpoint.js';

export const adminPrefix = '/_emulator/';
export const protectedApiPath = '/_emulator/api/me';

export interface Route {
  /** Endpoints that scripted faults can hit; undefined for the protected test API. */
  readonly faultTarget: FaultTarget | undefined;
  handle(sts: StsRequest, ctx: EmulatorContext): Reply | Promise<Reply>;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function matchRoute(pathname: string): Route | undefined {
  if (pathname === githubTokenPath) {
    return { faultTarget: undefined, handle: (sts, ctx) => handleGithubToken(sts.url, sts.authorization, ctx) };
  }
  if (pathname === protectedApiPath) {
    return {
      faultTarget: undefined,
      handle: (sts, ctx) => handleProtectedApi(sts.authorization, ctx, sts.url.searchParams.get('role') ?? undefined),
    };
  }
  const application = graphApplicationPath.exec(decodeSegment(pathname))?.[1];
  if (application !== undefined) {
    return {
      faultTarget: undefined,
      handle: (sts, ctx) => handleGraphApplication(application, sts.url, sts.authorization, ctx),
    };
  }
  const [, rawTenant = '', endpoint] = /^\/([^/]+)\/(.+)$/.exec(pathname) ?? [];
  const tenant = decodeSegment(rawTenant);
  switch (endpoint) {
    case 'v2.0/.well-known/openid-configuration':
    case '.well-known/openid-configuration':
      return { faultTarget: 'discovery', handle: (sts, ctx) => handleDiscovery(sts, tenant, ctx) };
    case 'discovery/v2.0/keys':
      return { faultTarget: 'discovery', handle: (sts, ctx) => handleKeys(sts, tenant, ctx) };
    case 'oauth2/v2.0/authorize':
      return { faultTarget: undefined, handle: (sts, ctx) => handleAuthorize(sts, tenant, ctx) };
    case 'oauth2/v2.0/devicecode':
      return { faultTarget: 'token', handle: (sts, ctx) => handleDeviceAuthorization(sts, tenant, ctx) };
    case 'oauth2/v2.0/token':
      return { faultTarget: 'token', handle: (sts, ctx) => handleTokenRequest(sts, tenant, ctx) };
    default:
      return undefined;
  }
}
