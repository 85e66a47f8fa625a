// The diagnostics of one call: input checks first (nothing is sent when one fails), then the login host, the
// credential, one real token request and what the token holds, and the optional -Uri. Never throws for a failed
// check: every outcome is a line of the checklist.

import type { CoreDeps } from '../acquireToken.js'
import { acquireToken } from '../acquireToken.js'
import type { Env } from '../config/env.js'
import { federatedAssertion } from '../flows/workloadIdentity.js'
import type { ManagedIdentitySource } from '../flows/managedIdentity/source.js'
import type { HttpResponse, TlsProbe } from '../http/client.js'
import { chooseProxy, type ProxySettings, type ProxyChoice } from '../http/proxy.js'
import { resolveAuthority } from '../oauth/authority.js'
import type { AccessToken } from '../oauth/tokenResponse.js'
import type { TokenFlowRequest } from '../protocol/request.js'
import { CHECK_NAMES, skip, type Check } from './check.js'
import { federatedSource, federationCheck, managedIdentityCheck } from './identityChecks.js'
import { checkInputs, requestTenant } from './inputs.js'
import { clockCheck, discoveryCheck, discoveryUrl, fetchDiscovery, proxyCheck, tlsCheck } from './reachability.js'
import { resourceCheck } from './resourceCheck.js'
import { graphBase, planSecretExpiry, secretExpiryFromGraph } from './secretExpiry.js'
import { adminConsentUrl, claimsCheck, tokenCheck, tokenFacts } from './tokenChecks.js'

export interface DiagnosticsDeps extends CoreDeps {
  proxies: ProxySettings
  probeTls(url: URL, proxy: ProxyChoice | undefined): Promise<TlsProbe>
  selectManagedIdentitySource(): ManagedIdentitySource
}

/** Longest wait for the discovery document and for -Uri: each is one GET, never retried. */
const PROBE_TIMEOUT_MS = 10_000

const APP_ONLY_FLOWS = new Set([
  'clientSecret',
  'clientCertificate',
  'clientCertificateSigned',
  'workloadIdentity',
  'managedIdentity',
])

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}

async function settle<T>(work: () => Promise<T>): Promise<T | Error> {
  try {
    return await work()
  } catch (error) {
    return asError(error)
  }
}

export async function runDiagnostics(
  request: TokenFlowRequest,
  uri: string | undefined,
  env: Env,
  deps: DiagnosticsDeps,
): Promise<Check[]> {
  const checks = checkInputs(request, env)
  const later = [
    CHECK_NAMES.tls,
    CHECK_NAMES.proxy,
    CHECK_NAMES.discovery,
    CHECK_NAMES.clock,
    CHECK_NAMES.managedIdentity,
    CHECK_NAMES.federation,
    CHECK_NAMES.token,
    CHECK_NAMES.claims,
    CHECK_NAMES.secretExpiry,
    CHECK_NAMES.resource,
  ]
  if (checks.some((check) => check.status === 'Fail'))
    return [...checks, ...later.map((name) => skip(name, 'An input check above fails; nothing was sent.'))]

  const authority = resolveAuthority({
    authorityHost: request.authorityHost,
    environment: request.environment,
    envAuthorityHost: env.authorityHost,
  })
  const tenant = requestTenant(request, env)
  const viaLoginHost = request.flow !== 'managedIdentity'
  const hostUrl = new URL(authority.host)
  let reachable = true
  if (viaLoginHost) {
    const proxy = chooseProxy(hostUrl, 'token', deps.proxies)
    const probe = await settle(() => deps.probeTls(hostUrl, proxy))
    const tls = tlsCheck(hostUrl.host, probe, env.tlsExpectedIssuers)
    checks.push(tls, proxyCheck(hostUrl.host, proxy, probe))
    const discovery = await fetchDiscovery(deps.http, discoveryUrl(authority, tenant), PROBE_TIMEOUT_MS)
    checks.push(discoveryCheck(authority, tenant, discovery), clockCheck(hostUrl.host, discovery, deps.clock.now()))
    reachable = tls.status !== 'Fail' && !(discovery instanceof Error)
  } else {
    const reason = 'A managed identity gets its token from the endpoint of the Azure resource, not from the login host.'
    checks.push(
      skip(CHECK_NAMES.tls, reason),
      skip(CHECK_NAMES.proxy, reason),
      skip(CHECK_NAMES.discovery, reason),
      skip(CHECK_NAMES.clock, reason),
    )
  }
  checks.push(managedIdentityCheck(request, deps.selectManagedIdentitySource))

  const source = federatedSource(request, env)
  const assertion =
    source === undefined || request.flow !== 'workloadIdentity'
      ? undefined
      : await settle(() => federatedAssertion(request, env, authority.cloud, deps))

  const unreachable = new Error(
    'The login host is not reachable with trust (TLS or discovery above fails), so no token request was sent.',
  )
  const result: AccessToken | Error = reachable ? await settle(() => acquireToken(request, env, deps)) : unreachable
  if (!(result instanceof Error)) deps.addSecret(result.accessToken)
  checks.push(federationCheck(source, assertion, authority.cloud, result, deps.clock.now()))
  checks.push(reachable ? tokenCheck(result) : skip(CHECK_NAMES.token, unreachable.message))

  const clientId = request.clientId ?? env.azureClientId
  checks.push(
    claimsCheck(result, {
      authority,
      tenant,
      clientId,
      appOnly: APP_ONLY_FLOWS.has(request.flow),
      managedIdentity: request.flow === 'managedIdentity',
      now: deps.clock.now(),
    }),
  )
  const secret = request.flow === 'clientSecret' ? request.clientSecret : undefined
  const plan = planSecretExpiry(result, {
    secret,
    cloud: authority.cloud,
    clientId,
    graph: graphBase(authority.cloud, env.graphEndpoint),
  })
  if ('check' in plan) checks.push(plan.check)
  else {
    const registration = await settle(() =>
      deps.http.send({
        method: 'GET',
        url: plan.url,
        headers: { Authorization: plan.authorization },
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      }),
    )
    checks.push(secretExpiryFromGraph(registration, plan.secret, deps.clock.now()))
  }

  let response: HttpResponse | Error | undefined
  if (uri !== undefined && !(result instanceof Error)) {
    const token = result
    response = await settle(() =>
      deps.http.send({
        method: 'GET',
        url: uri,
        headers: { Authorization: `${token.tokenType} ${token.accessToken}` },
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      }),
    )
  }
  const facts = result instanceof Error ? undefined : tokenFacts(result.accessToken)
  const consent = clientId === undefined || tenant === '' ? undefined : adminConsentUrl(authority, tenant, clientId)
  checks.push(resourceCheck(uri, response, facts, consent))
  return checks
}
