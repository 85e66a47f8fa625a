// The fake managed identities (test/fixtures/managedIdentities.json) and how each endpoint style names them.
import data from '../../fixtures/managedIdentities.json' with { type: 'json' };

export interface ManagedIdentity {
  readonly clientId: string;
  readonly objectId: string;
  readonly resourceId?: string;
}

export const managedIdentityData = data;

/** Query parameters naming a user-assigned identity, per endpoint style (docs/entra-protocol.md §7.2 "Azure VM / VMSS" and §7.3 "App Service / Azure Functions"). */
export const idParameters = {
  imds: { clientId: 'client_id', objectId: 'object_id', resourceId: 'msi_res_id' },
  appService: { clientId: 'client_id', objectId: 'principal_id', resourceId: 'mi_res_id' },
} as const;

export type IdSelection = { readonly kind: 'system' } | { readonly kind: keyof typeof idParameters.imds; readonly value: string } | { readonly kind: 'several' };

/** Which identity the query names; `object_id` is accepted as an alias of `principal_id` on App Service. */
export function readIdSelection(query: URLSearchParams, names: { clientId: string; objectId: string; resourceId: string }): IdSelection {
  const given = [
    ['clientId', query.get(names.clientId)],
    ['objectId', query.get(names.objectId) ?? (names.objectId === 'principal_id' ? query.get('object_id') : null)],
    ['resourceId', query.get(names.resourceId)],
  ].filter((entry): entry is ['clientId' | 'objectId' | 'resourceId', string] => entry[1] !== null && entry[1] !== '');
  if (given.length > 1) return { kind: 'several' };
  const [entry] = given;
  return entry === undefined ? { kind: 'system' } : { kind: entry[0], value: entry[1] };
}

const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** The identity a selection names, or undefined when none of this resource matches. */
export function findIdentity(selection: IdSelection): ManagedIdentity | undefined {
  if (selection.kind === 'several') return undefined;
  if (selection.kind === 'system') return data.systemAssigned;
  return data.userAssigned.find((identity) => same(identity[selection.kind], selection.value));
}
