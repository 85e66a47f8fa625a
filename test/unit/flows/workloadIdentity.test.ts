// Workload identity: where the federated token comes from, and which audience the GitHub Actions OIDC token is asked for.

import { describe, expect, it } from 'vitest'
import { CLOUDS, type CloudName } from '../../../src/config/constants.js'
import { readEnv } from '../../../src/config/env.js'
import { acquireTokenWithWorkloadIdentity } from '../../../src/flows/workloadIdentity.js'
import { CLIENT_ID, fakeJwt, TENANT, TOKEN_PATH, testDeps, useTestDeps } from '../helpers.js'

const RUNNER = 'https://pipelines.actions.githubusercontent.com'
const RUNNER_TOKEN = 'runner-request-token'
/** Entra's audience for federated tokens per cloud (MSAL.NET KnownCloudConfiguration; Microsoft Learn, workload identity federation). */
const AUDIENCES: Record<CloudName, string> = {
  Global: 'api://AzureADTokenExchange',
  USGov: 'api://AzureADTokenExchangeUSGov',
  China: 'api://AzureADTokenExchangeChina',
}
const OIDC_TOKEN = fakeJwt({
  iss: 'https://token.actions.githubusercontent.com',
  sub: 'repo:contoso/runbooks:ref:refs/heads/main',
})

describe('acquireTokenWithWorkloadIdentity', () => {
  let deps: ReturnType<typeof testDeps>
  useTestDeps(testDeps, (created) => (deps = created))
  const env = readEnv({
    ACTIONS_ID_TOKEN_REQUEST_URL: `${RUNNER}/oidc/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: RUNNER_TOKEN,
  })

  it.each(Object.keys(AUDIENCES) as CloudName[])(
    "finding 12: GitHub Actions OIDC token for %s is asked for with that cloud's audience",
    async (cloud) => {
      let audience: string | null = null
      let assertion: string | null = null
      deps.agent
        .get(RUNNER)
        .intercept({
          path: (path) => path.startsWith('/oidc/token'),
          method: 'GET',
          headers: { authorization: `bearer ${RUNNER_TOKEN}` },
        })
        .reply((options) => {
          audience = new URL(String(options.path), RUNNER).searchParams.get('audience')
          return { statusCode: 200, data: { value: OIDC_TOKEN } }
        })
      deps.agent
        .get(CLOUDS[cloud].authorityHost)
        .intercept({
          path: TOKEN_PATH,
          method: 'POST',
          body: (text) => ((assertion = new URLSearchParams(text).get('client_assertion')), true),
        })
        .reply(200, {
          token_type: 'Bearer',
          expires_in: 3599,
          access_token: fakeJwt({ aud: 'https://graph.microsoft.com' }),
        })
      await acquireTokenWithWorkloadIdentity(
        { protocolVersion: 1, flow: 'workloadIdentity', tenantId: TENANT, clientId: CLIENT_ID, environment: cloud },
        env,
        { ...deps, readFile: () => Promise.reject(new Error('no file')), addSecret: () => undefined },
      )
      expect(audience).toBe(AUDIENCES[cloud])
      expect(assertion).toBe(OIDC_TOKEN)
    },
  )

  it('finding 12: the audiences are the ones Entra documents per cloud', () => {
    expect(
      Object.fromEntries(Object.entries(CLOUDS).map(([name, cloud]) => [name, cloud.tokenExchangeAudience])),
    ).toEqual(AUDIENCES)
  })
})
