// Runs the flow a request names; the one place that knows every flow.

import type { Env } from './config/env.js'
import type { CertificateDeps } from './flows/certificateGrant.js'
import { acquireTokenWithClientCertificate } from './flows/clientCertificate.js'
import { acquireTokenWithSignedAssertion } from './flows/clientCertificateSigned.js'
import { acquireTokenWithClientSecret } from './flows/clientSecret.js'
import { acquireTokenWithRefreshToken } from './flows/refreshToken.js'
import type { AccessToken } from './oauth/tokenResponse.js'
import type { TokenFlowRequest } from './protocol/request.js'

export async function acquireToken(request: TokenFlowRequest, env: Env, deps: CertificateDeps): Promise<AccessToken> {
  switch (request.flow) {
    case 'clientCertificate':
      return acquireTokenWithClientCertificate(request, env, deps)
    case 'clientCertificateSigned':
      return acquireTokenWithSignedAssertion(request, env, deps)
    case 'clientSecret':
      return acquireTokenWithClientSecret(request, env, deps)
    case 'refreshToken':
      return acquireTokenWithRefreshToken(request, env, deps)
  }
}
