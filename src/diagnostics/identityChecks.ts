// Credentials that come from where this runs: the managed identity source, and the federated token (decoded here).

import { decodeJwt } from 'jose'
import { CLOUDS, type CloudName } from '../config/constants.js'
import type { Env } from '../config/env.js'
import { EntraAuthError } from '../errors.js'
import { describeIdentity, selectIdentity } from '../flows/managedIdentity/identity.js'
import type { ManagedIdentitySource } from '../flows/managedIdentity/source.js'
import { sanitizeServerText } from '../log/sanitizeText.js'
import type { TokenFlowRequest } from '../protocol/request.js'
import { CHECK_NAMES, failFrom, fail, pass, skip, type Check } from './check.js'

export function managedIdentityCheck(request: TokenFlowRequest, selectSource: () => ManagedIdentitySource): Check {
  if (request.flow !== 'managedIdentity')
    return skip(CHECK_NAMES.managedIdentity, 'This call does not use a managed identity.')
  try {
    const identity = selectIdentity({
      clientId: request.clientId,
      objectId: request.managedIdentityObjectId,
      resourceId: request.managedIdentityResourceId,
    })
    const source = selectSource()
    const unsupported = source.unsupported(identity)
    if (unsupported !== undefined)
      return fail(
        CHECK_NAMES.managedIdentity,
        `${source.name} is the managed identity source here: ${unsupported}`,
        'Name the identity another way (-ClientId, -ManagedIdentityObjectId or -ManagedIdentityResourceId), as this source takes it, or use the system-assigned identity.',
      )
    return pass(CHECK_NAMES.managedIdentity, `Source ${source.name}; ${describeIdentity(identity)} would be used.`)
  } catch (error) {
    return failFrom(
      CHECK_NAMES.managedIdentity,
      error,
      'Run this on an Azure resource with a managed identity turned on (Identity blade of the resource).',
    )
  }
}

/** Where the federated token of a workload identity call comes from, in the order the flow takes it. */
export function federatedSource(request: TokenFlowRequest, env: Env): string | undefined {
  if (
    request.flow !== 'workloadIdentity' &&
    !(request.flow === 'managedIdentity' && env.federatedTokenFile !== undefined)
  )
    return undefined
  if ('clientAssertion' in request && request.clientAssertion !== undefined) return '-ClientAssertion'
  if ('federatedTokenFile' in request && request.federatedTokenFile !== undefined)
    return `-FederatedTokenFile ${request.federatedTokenFile}`
  if (env.federatedTokenFile !== undefined)
    return `AZURE_FEDERATED_TOKEN_FILE ${env.federatedTokenFile} (Kubernetes workload identity)`
  if (env.actionsIdTokenRequestUrl !== undefined && env.actionsIdTokenRequestToken !== undefined)
    return 'ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN (GitHub Actions)'
  return 'none'
}

/** Entra's codes for a federated token that matches no federated credential of the app (docs/entra-protocol.md §6 "Workload identity federation"). */
const NO_MATCHING_CREDENTIAL = [70021, 700211, 700212, 700213, 7002138]

/**
 * The federated token's issuer, subject and audience, decoded locally, for the admin to compare with the app's
 * federated credential; fails when Entra found no credential that matches them, or the audience is not the cloud's.
 */
export function federationCheck(
  source: string | undefined,
  assertion: string | Error | undefined,
  cloud: CloudName,
  tokenResult: unknown,
  now: number,
): Check {
  if (source === undefined) return skip(CHECK_NAMES.federation, 'This call does not use workload identity federation.')
  if (assertion === undefined || assertion instanceof Error)
    return failFrom(
      CHECK_NAMES.federation,
      assertion ?? new Error(`No federated token (source: ${source}).`),
      'In Kubernetes, enable workload identity on the pod; in GitHub Actions, give the job "permissions: id-token: write".',
    )
  let claims: ReturnType<typeof decodeJwt>
  try {
    claims = decodeJwt(assertion)
  } catch {
    return fail(
      CHECK_NAMES.federation,
      `The federated token from ${source} is not a readable JWT.`,
      'Pass the token your identity provider issued.',
    )
  }
  const text = (value: unknown) =>
    sanitizeServerText(Array.isArray(value) ? value.join(', ') : String(value ?? '(none)'))
  const facts = `issuer ${text(claims.iss)}, subject ${text(claims.sub)}, audience ${text(claims.aud)}`
  const expected = CLOUDS[cloud].tokenExchangeAudience
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
  const credentialFix = `Add a federated credential to the app (Certificates & secrets > Federated credentials) with exactly: issuer ${text(claims.iss)}, subject ${text(claims.sub)}, audience ${expected}.`
  if (!audiences.includes(expected))
    return fail(
      CHECK_NAMES.federation,
      `From ${source}: ${facts}; Entra takes only the audience ${expected} in this cloud.`,
      `Have the identity provider issue the token for the audience ${expected}, and use the same audience in the federated credential.`,
    )
  if (typeof claims.exp === 'number' && claims.exp * 1000 < now)
    return fail(
      CHECK_NAMES.federation,
      `From ${source}: ${facts}; it expired at ${new Date(claims.exp * 1000).toISOString()}.`,
      'The identity provider must refresh the token (Kubernetes rotates projected tokens; a copied token expires).',
    )
  const codes = tokenResult instanceof EntraAuthError ? (tokenResult.oauth?.errorCodes ?? []) : []
  if (codes.some((code) => NO_MATCHING_CREDENTIAL.includes(code)))
    return fail(
      CHECK_NAMES.federation,
      `From ${source}: ${facts}; no federated credential of the app matches them (AADSTS${codes.find((code) => NO_MATCHING_CREDENTIAL.includes(code))}).`,
      credentialFix,
    )
  return pass(CHECK_NAMES.federation, `From ${source}: ${facts}.`)
}
