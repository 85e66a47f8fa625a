// What the certificate flows share: their target, their dependencies, and the POST of a client assertion.

import type { X509Certificate } from 'node:crypto'
import type { CertificateFileDeps } from '../certificate/loadCertificate.js'
import { describeCertificate, thumbprints } from '../certificate/thumbprint.js'
import { checkValidity } from '../certificate/validity.js'
import type { Env } from '../config/env.js'
import { validateClientId } from '../oauth/authority.js'
import { requireAppOnlyScope } from '../oauth/scopes.js'
import { requestToken, type TokenEndpointDeps } from '../oauth/tokenEndpoint.js'
import type { AccessToken } from '../oauth/tokenResponse.js'
import type { RequestBase } from '../protocol/request.js'
import { resolveTarget, type GrantTarget } from './target.js'

/** The token endpoint deps plus file reading (PEM files) and the redactor (keys read from them). */
export interface CertificateDeps extends TokenEndpointDeps, CertificateFileDeps {}

/** RFC 7523 section 2.2. */
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

export interface CertificateTarget extends GrantTarget {
  clientId: string
  /** The one `<resource>/.default` of an app-only token. */
  scope: string
}

/**
 * Checks tenant, client id and scope before anything else, so bad input fails before any file is read.
 * @throws ConfigurationError (ERR_INVALID_REQUEST)
 */
export function resolveCertificateTarget(request: RequestBase, env: Env): CertificateTarget {
  const target = resolveTarget(request, env, false)
  const clientId = validateClientId(request.clientId, 'for a certificate')
  return { ...target, clientId, scope: requireAppOnlyScope(target.scopes) }
}

/** Checks the leaf's validity (error or 30-day warning) and says which certificate is used. */
export function announceCertificate(leaf: X509Certificate, signer: string, deps: CertificateDeps): void {
  checkValidity(leaf, deps.clock.now(), deps.logger)
  deps.logger.verbose(`certificate ${describeCertificate(leaf)}, valid until ${new Date(leaf.validTo).toISOString()}; assertion signed ${signer}`)
}

/** Sends the client credentials grant with the assertion (docs/entra-protocol.md §2.3 "Grant: client_credentials" and §3 "Client assertion JWT (client_assertion)"). */
export async function requestTokenWithAssertion(
  target: CertificateTarget,
  leaf: X509Certificate,
  assertion: string,
  correlationId: string | undefined,
  deps: TokenEndpointDeps,
): Promise<AccessToken> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: target.clientId,
    scope: target.scope,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: assertion,
  })
  return requestToken(
    {
      endpoint: target.endpoint,
      form,
      timeoutSec: target.timeoutSec,
      correlationId,
      hintContext: { tenant: target.tenant, clientId: target.clientId, scopes: [target.scope], certificateThumbprint: thumbprints(leaf).sha1Hex },
    },
    deps,
  )
}
