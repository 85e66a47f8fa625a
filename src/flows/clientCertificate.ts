// The client credentials grant with a certificate whose key the core holds: the core signs the assertion.

import { loadCertificateCredential } from '../certificate/loadCertificate.js'
import type { Env } from '../config/env.js'
import { protocolError } from '../protocol/protocolError.js'
import { signClientAssertion } from '../oauth/clientAssertion.js'
import type { AccessToken } from '../oauth/tokenResponse.js'
import type { ClientCertificateRequest } from '../protocol/request.js'
import { announceCertificate, requestTokenWithAssertion, resolveCertificateTarget, type CertificateDeps } from './certificateGrant.js'

/**
 * Gets an app-only token with a certificate: PEM file read here, or DER and PKCS#8 key from the wrapper.
 * @throws ConfigurationError before any request for bad input, an unreadable or mismatched certificate, or an expired one
 */
export async function acquireTokenWithClientCertificate(request: ClientCertificateRequest, env: Env, deps: CertificateDeps): Promise<AccessToken> {
  const target = resolveCertificateTarget(request, env)
  const credential = await loadCertificateCredential(request, deps)
  if (credential.privateKey === undefined) throw protocolError('The clientCertificate flow came without a private key.')
  const algorithm = request.algorithm ?? 'RS256'
  announceCertificate(credential.chain[0], `in the core with ${algorithm}`, deps)
  const assertion = await signClientAssertion(
    { clientId: target.clientId, audience: target.endpoint, chain: credential.chain, algorithm, sendCertificateChain: request.sendCertificateChain === true, nowMs: deps.clock.now() },
    credential.privateKey,
  )
  return requestTokenWithAssertion(target, credential.chain[0], assertion, request.correlationId, deps)
}
