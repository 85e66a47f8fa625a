// Request fields of the flows without a stored secret: managed identity and workload identity federation.

import { protocolError } from './protocolError.js'

export const IDENTITY_FLOWS = ['managedIdentity', 'workloadIdentity'] as const

/** `tenantId` is '' when the user gave none: managed identity needs none, workload identity reads AZURE_TENANT_ID. */
export interface ManagedIdentityRequestFields {
  flow: 'managedIdentity'
  managedIdentityObjectId?: string
  managedIdentityResourceId?: string
}

export interface WorkloadIdentityRequestFields {
  flow: 'workloadIdentity'
  /** A JWT from another identity provider, given directly (-ClientAssertion). */
  clientAssertion?: string
  /** A file holding one (-FederatedTokenFile); else AZURE_FEDERATED_TOKEN_FILE, else GitHub Actions. */
  federatedTokenFile?: string
}

export const IDENTITY_SECRET_FIELDS = ['clientAssertion'] as const

/** Type checks of these fields; ERR_PROTOCOL when the wrapper sent something else. */
export function checkIdentityFields(request: Record<string, unknown>): void {
  for (const field of ['managedIdentityObjectId', 'managedIdentityResourceId', 'clientAssertion', 'federatedTokenFile']) {
    if (request[field] !== undefined && typeof request[field] !== 'string') {
      throw protocolError(`'${field}' must be a string.`)
    }
  }
}
