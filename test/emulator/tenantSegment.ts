// Resolves the `{tenant}` path segment, or throws the AADSTS error the service gives for it (doc §2.2).
import type { Directory, TenantRef } from './directory.js';
import { aadsts, type TenantErrorName } from './errors.js';

export function requireTenant(directory: Directory, segment: string, errorName: TenantErrorName): TenantRef {
  const lookup = directory.resolveTenant(segment);
  if (lookup.kind === 'malformed') throw aadsts.malformedTenant(segment, errorName);
  if (lookup.kind === 'unknown') throw aadsts.tenantNotFound(segment, errorName);
  return lookup;
}
