// Wrapper-side signing, for keys that cannot leave .NET: the core prepares the assertion, checks the signed one, sends it.

import { loadCertificateCredential } from '../certificate/loadCertificate.js'
import type { Env } from '../config/env.js'
import { checkSignedAssertion, unsignedClientAssertion, type UnsignedAssertion } from '../oauth/clientAssertion.js'
import type { AccessToken } from '../oauth/tokenResponse.js'
import type { ClientCertificatePrepareRequest, ClientCertificateSignedRequest } from '../protocol/request.js'
import {
  announceCertificate,
  requestTokenWithAssertion,
  resolveCertificateTarget,
  type CertificateDeps,
} from './certificateGrant.js'

/**
 * Step 1: checks the input and the certificate, and returns `header.payload` for the wrapper to sign.
 * @throws ConfigurationError before any request, as the core-signed flow
 */
export async function prepareClientCertificateAssertion(
  request: ClientCertificatePrepareRequest,
  env: Env,
  deps: CertificateDeps,
): Promise<UnsignedAssertion> {
  const target = resolveCertificateTarget(request, env)
  const { chain } = await loadCertificateCredential({ certificates: request.certificates }, deps)
  const algorithm = request.algorithm ?? 'RS256'
  announceCertificate(chain[0], `in PowerShell with ${algorithm}`, deps)
  return unsignedClientAssertion({
    clientId: target.clientId,
    audience: target.endpoint,
    chain,
    algorithm,
    sendCertificateChain: request.sendCertificateChain === true,
    nowMs: deps.clock.now(),
  })
}

/**
 * Step 2: checks that the signed assertion is the one for this request and verifies with the certificate, then sends it.
 * @throws ConfigurationError before any request when it does not (a bad signature: key and certificate do not match)
 */
export async function acquireTokenWithSignedAssertion(
  request: ClientCertificateSignedRequest,
  env: Env,
  deps: CertificateDeps,
): Promise<AccessToken> {
  const target = resolveCertificateTarget(request, env)
  const { chain } = await loadCertificateCredential({ certificates: request.certificates }, deps)
  await checkSignedAssertion(request.clientAssertion, {
    clientId: target.clientId,
    audience: target.endpoint,
    certificate: chain[0],
    nowMs: deps.clock.now(),
  })
  return requestTokenWithAssertion(target, chain[0], request.clientAssertion, request.correlationId, deps)
}
