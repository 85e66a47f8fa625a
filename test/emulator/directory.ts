// Lookups over the fake directory (tenants, domains, apps, secrets, resources, app roles).
import { resourceKey } from './scopes.js';

export interface DirectorySecret {
  readonly id: string;
  readonly value: string;
  readonly expired: boolean;
  /** Graph's passwordCredential (graphApplications.ts): its name, and its end in days from the emulator's clock (default 365, or -1 when expired). */
  readonly displayName?: string;
  readonly endsInDays?: number;
}

export interface DirectoryApp {
  readonly name: string;
  readonly clientId: string;
  readonly publicClient: boolean;
  readonly secrets: readonly DirectorySecret[];
  /** Application permissions granted to this app, by resource URI. */
  readonly appRoles: Readonly<Record<string, readonly string[] | undefined>>;
  /** Redirect URIs of the 'Mobile and desktop applications' platform (browser sign-in); see redirectUris.ts. */
  readonly redirectUris?: readonly string[];
  /**
   * Set on Microsoft first-party clients only: the delegated permissions each resource preauthorized for them
   * (`*`: any). Anything else is refused with AADSTS65002, as Entra does; see firstParty.ts.
   */
  readonly preauthorized?: Readonly<Record<string, readonly string[] | undefined>>;
}

export interface DirectoryTenant {
  readonly id: string;
  readonly domains: readonly string[];
  readonly apps: readonly DirectoryApp[];
}

export interface DirectoryResource {
  readonly uri: string;
  readonly appId: string;
}

/** Shape of test/fixtures/directory.json (extra fields are ignored). */
export interface DirectoryData {
  readonly tenants: readonly DirectoryTenant[];
  readonly resources: readonly DirectoryResource[];
}

export type MultiTenantSegment = 'common' | 'organizations' | 'consumers';

/** What a `{tenant}` path segment designates. */
export type TenantLookup =
  | { readonly kind: 'tenant'; readonly segment: string; readonly tenant: DirectoryTenant }
  | { readonly kind: 'multi'; readonly segment: MultiTenantSegment }
  | { readonly kind: 'malformed'; readonly segment: string }
  | { readonly kind: 'unknown'; readonly segment: string };

export type TenantRef = Extract<TenantLookup, { kind: 'tenant' | 'multi' }>;

export interface Directory {
  resolveTenant(segment: string): TenantLookup;
  /** Tenant by GUID or verified domain, case-insensitive. */
  findTenant(idOrDomain: string): DirectoryTenant | undefined;
  allTenants(): readonly DirectoryTenant[];
  findApp(tenant: DirectoryTenant, clientId: string): DirectoryApp | undefined;
  /** Registered resource matching `resource` by {@link resourceKey}. */
  findResource(resource: string): DirectoryResource | undefined;
  appRoles(app: DirectoryApp, resource: DirectoryResource): readonly string[];
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const domainPattern = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const multiTenantSegments: ReadonlySet<string> = new Set<MultiTenantSegment>(['common', 'organizations', 'consumers']);

function isMultiTenant(segment: string): segment is MultiTenantSegment {
  return multiTenantSegments.has(segment);
}

const sameText = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function createDirectory(data: DirectoryData): Directory {
  const findTenant = (idOrDomain: string): DirectoryTenant | undefined =>
    data.tenants.find(
      (tenant) => sameText(tenant.id, idOrDomain) || tenant.domains.some((domain) => sameText(domain, idOrDomain)),
    );

  return {
    findTenant,
    allTenants: () => data.tenants,
    resolveTenant(segment) {
      const lower = segment.toLowerCase();
      if (isMultiTenant(lower)) return { kind: 'multi', segment: lower };
      if (!guidPattern.test(segment) && !domainPattern.test(segment)) return { kind: 'malformed', segment };
      const tenant = findTenant(segment);
      return tenant ? { kind: 'tenant', segment, tenant } : { kind: 'unknown', segment };
    },
    findApp: (tenant, clientId) => tenant.apps.find((app) => sameText(app.clientId, clientId)),
    findResource(resource) {
      const key = resourceKey(resource);
      return data.resources.find((candidate) => resourceKey(candidate.uri) === key);
    },
    appRoles(app, resource) {
      const key = resourceKey(resource.uri);
      return Object.entries(app.appRoles).find(([uri]) => resourceKey(uri) === key)?.[1] ?? [];
    },
  };
}
