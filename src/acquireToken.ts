// Runs the flow a request names; the one place that knows every flow.

import type { Env } from './config/env.js'
import { acquireTokenWithClientSecret } from './flows/clientSecret.js'
import { acquireTokenWithRefreshToken } from './flows/refreshToken.js'
import type { TokenEndpointDeps } from './oauth/tokenEndpoint.js'
import type { AccessToken } from './oauth/tokenResponse.js'
import type { CoreRequest } from './protocol/request.js'

export async function acquireToken(request: CoreRequest, env: Env, deps: TokenEndpointDeps): Promise<AccessToken> {
  switch (request.flow) {
    case 'clientSecret':
      return acquireTokenWithClientSecret(request, env, deps)
    case 'refreshToken':
      return acquireTokenWithRefreshToken(request, env, deps)
  }
}
