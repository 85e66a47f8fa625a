// Which managed identity to use: system-assigned, or a user-assigned one named by client, object or resource id.

import { ConfigurationError } from '../../errors.js'
import { isGuid } from '../../oauth/authority.js'

export type UserAssignedIdentity =
  { kind: 'clientId'; value: string } | { kind: 'objectId'; value: string } | { kind: 'resourceId'; value: string }

export interface IdentitySelection {
  clientId?: string | undefined
  objectId?: string | undefined
  resourceId?: string | undefined
}

const ARM_RESOURCE_ID =
  /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.managedidentity\/userassignedidentities\/[^/]+$/i

/**
 * Checks the user's choice: at most one id, in the right shape. Undefined means system-assigned.
 * @throws ConfigurationError before any request
 */
export function selectIdentity(selection: IdentitySelection): UserAssignedIdentity | undefined {
  const given = (
    [
      ['clientId', selection.clientId],
      ['objectId', selection.objectId],
      ['resourceId', selection.resourceId],
    ] as const
  ).filter(([, value]) => value !== undefined && value.trim() !== '')
  if (given.length > 1) {
    throw new ConfigurationError(
      `A user-assigned managed identity is named by one id, but ${given.map(([kind]) => kind).join(' and ')} were given.`,
      'Pass only one of -ClientId, -ManagedIdentityObjectId or -ManagedIdentityResourceId.',
    )
  }
  const [entry] = given
  if (entry === undefined) return undefined
  const [kind, raw] = entry
  const value = (raw ?? '').trim()
  if (kind === 'resourceId') {
    if (!ARM_RESOURCE_ID.test(value)) {
      throw new ConfigurationError(
        `'${value}' is not the resource id of a user-assigned managed identity.`,
        "Copy it from the identity's Properties page: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>.",
      )
    }
    return { kind, value }
  }
  if (!isGuid(value)) {
    throw new ConfigurationError(
      `The managed identity's ${kind === 'clientId' ? 'client id' : 'object (principal) id'} '${value}' is not a GUID.`,
      "Copy it from the identity's Overview page in the portal.",
    )
  }
  return { kind, value }
}

export function describeIdentity(identity: UserAssignedIdentity | undefined): string {
  if (identity === undefined) return 'the system-assigned identity'
  const names = { clientId: 'client id', objectId: 'object id', resourceId: 'resource id' }
  return `the user-assigned identity with ${names[identity.kind]} ${identity.value}`
}
