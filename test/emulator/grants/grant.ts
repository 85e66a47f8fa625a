// The contract between the token endpoint and its grant handlers (one file per grant_type).
import type { ClientCredentials } from '../clientAuth.js';
import type { EmulatorContext } from '../context.js';
import type { TenantRef } from '../directory.js';
import { aadsts } from '../errors.js';
import type { StsRequest } from '../stsRequest.js';

export interface TokenRequest {
  readonly sts: StsRequest;
  readonly tenant: TenantRef;
  readonly client: ClientCredentials;
}

/** Returns the 200 body, or throws an `StsError`. */
export type GrantHandler = (request: TokenRequest, ctx: EmulatorContext) => Promise<Record<string, unknown>>;

export function requireParameter(value: string | null | undefined, name: string): string {
  if (!value) throw aadsts.missingParameter(name);
  return value;
}

export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
