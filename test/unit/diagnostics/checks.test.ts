// The diagnostics' check logic on samples: each check's Pass and its Fail (or Warn) with the Fix, no network.

import { describe, expect, it } from 'vitest'
import { readEnv } from '../../../src/config/env.js'
import { clockCheck, discoveryCheck, proxyCheck, tlsCheck } from '../../../src/diagnostics/reachability.js'
import { checkInputs, SECRET_ID_FIX } from '../../../src/diagnostics/inputs.js'
import { isExpectedIssuer } from '../../../src/diagnostics/expectedIssuers.js'
import { adminConsentUrl, claimsCheck } from '../../../src/diagnostics/tokenChecks.js'
import { federationCheck } from '../../../src/diagnostics/identityChecks.js'
import { resourceCheck } from '../../../src/diagnostics/resourceCheck.js'
import { AuthenticationError } from '../../../src/errors.js'
import { parseProxy } from '../../../src/http/proxy.js'
import type { TokenFlowRequest } from '../../../src/protocol/request.js'

const env = readEnv({})
const tenant = 'bc88430d-6289-4f53-b9ba-c0bb39258221'
const clientId = '73cb4075-110d-4333-b123-0bac229ca06a'
const global = { host: 'https://login.microsoftonline.com', cloud: 'Global' as const }
const usGov = { host: 'https://login.microsoftonline.us', cloud: 'USGov' as const }

function jwt(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(payload)}.c2ln`
}

function secretRequest(overrides: Partial<Record<string, unknown>> = {}): TokenFlowRequest {
  return {
    protocolVersion: 1,
    flow: 'clientSecret',
    tenantId: tenant,
    clientId,
    clientSecret: 'Sx8Q~plain.Secret_value-0123456789abcdefgh',
    ...overrides,
  } as TokenFlowRequest
}

const microsoftProbe = {
  issuer: 'Microsoft Azure RSA TLS Issuing CA 03',
  issuerOrganization: 'Microsoft Corporation',
  subject: 'stamp2.login.microsoftonline.com',
  validTo: '2027-01-01T00:00:00.000Z',
  trusted: true,
}

describe('input checks', () => {
  it('pass for a well-formed secret call', () => {
    expect(checkInputs(secretRequest(), env).map((check) => check.status)).toEqual(['Pass', 'Pass', 'Pass', 'Pass'])
  })
  it('fail for a Secret ID given as the secret, with the fix', () => {
    const secret = checkInputs(secretRequest({ clientSecret: 'ef100e44-1239-4b76-9073-64747bb521df' }), env)[2]
    expect(secret).toMatchObject({ name: 'Client secret', status: 'Fail', fix: SECRET_ID_FIX })
  })
  it('fail for a tenant that is neither GUID nor domain, a client id that is no GUID, a delegated scope on an app-only call', () => {
    const [tenantCheck, client, , scope] = checkInputs(
      secretRequest({ tenantId: 'contoso', clientId: 'app', scopes: ['User.Read'] }),
      env,
    )
    expect(tenantCheck?.status).toBe('Fail')
    expect(tenantCheck?.fix).toMatch(/Directory \(tenant\) ID/)
    expect(client?.fix).toMatch(/Application \(client\) ID/)
    expect(scope?.fix).toMatch(/\/\.default/)
  })
  it('name the cloud of the login host', () => {
    expect(checkInputs(secretRequest({ environment: 'USGov' }), env)[0]?.detail).toMatch(
      /USGov cloud \(login host https:\/\/login\.microsoftonline\.us\)/,
    )
  })
})

describe('TLS', () => {
  it('passes for a certificate of a Microsoft issuing CA', () => {
    expect(tlsCheck('login.microsoftonline.com', microsoftProbe, []).status).toBe('Pass')
  })
  it('warns for a trusted certificate of another CA, naming a TLS-inspecting proxy', () => {
    const check = tlsCheck(
      'login.microsoftonline.com',
      { ...microsoftProbe, issuer: 'Zscaler Intermediate Root CA', issuerOrganization: 'Zscaler Inc.' },
      [],
    )
    expect(check).toMatchObject({ status: 'Warn' })
    expect(check.detail).toMatch(/TLS-inspecting proxy/)
  })
  it('fails for an untrusted one, with the trust fix', () => {
    const check = tlsCheck(
      'login.microsoftonline.com',
      {
        ...microsoftProbe,
        issuer: 'Zscaler Intermediate Root CA',
        issuerOrganization: 'Zscaler Inc.',
        trusted: false,
        trustError: 'SELF_SIGNED_CERT_IN_CHAIN',
      },
      [],
    )
    expect(check.status).toBe('Fail')
    expect(check.fix).toMatch(/root CA/)
  })
  it('takes the issuers of ENTRAAUTH_TLS_EXPECTED_ISSUERS as expected', () => {
    const extra = readEnv({
      ENTRAAUTH_TLS_EXPECTED_ISSUERS: ' EntraAuth emulator throwaway CA , Other CA',
    }).tlsExpectedIssuers
    expect(extra).toEqual(['EntraAuth emulator throwaway CA', 'Other CA'])
    expect(isExpectedIssuer('EntraAuth emulator throwaway CA', undefined, extra)).toBe(true)
    expect(isExpectedIssuer('EntraAuth emulator throwaway CA', undefined, [])).toBe(false)
  })
})

describe('proxy', () => {
  const proxy = parseProxy('http://user:pw@proxy.contoso.com:8080', '-Proxy')
  it('passes and names the proxy without its credentials', () => {
    const check = proxyCheck('login.microsoftonline.com', proxy, microsoftProbe)
    expect(check.status).toBe('Pass')
    expect(check.detail).not.toMatch(/pw/)
  })
  it('fails when the proxy did not connect', () => {
    expect(proxyCheck('login.microsoftonline.com', proxy, new Error('407')).status).toBe('Fail')
  })
})

describe('discovery and clock', () => {
  const response = (status: number, date: string) => ({
    status,
    headers: { date },
    body: JSON.stringify({ issuer: 'https://login.microsoftonline.com/x/v2.0' }),
  })
  it('passes for a document, fails for an unknown tenant with the cloud fix', () => {
    expect(discoveryCheck(global, tenant, response(200, '')).status).toBe('Pass')
    const check = discoveryCheck(usGov, 'contoso.com', response(400, ''))
    expect(check.detail).toMatch(/USGov cloud/)
    expect(check.fix).toMatch(/-Environment/)
  })
  const now = Date.parse('2026-12-01T12:00:00Z')
  it.each([
    [0, 'Pass'],
    [60, 'Pass'],
    [61, 'Warn'],
    [300, 'Warn'],
    [301, 'Fail'],
    [-400, 'Fail'],
  ])('%i s of skew: %s', (skew, status) => {
    const check = clockCheck('login.microsoftonline.com', response(200, new Date(now - skew * 1000).toUTCString()), now)
    expect(check.status).toBe(status)
    if (status !== 'Pass') expect(check.fix).toMatch(/AADSTS700024/)
  })
  it('skips without a Date header', () => {
    expect(clockCheck('h', response(200, ''), now).status).toBe('Skip')
  })
})

describe('token claims', () => {
  const now = Date.now()
  const token = (payload: Record<string, unknown>) => ({
    tokenType: 'Bearer',
    accessToken: jwt(payload),
    expiresOn: '',
    expiresIn: 3599,
  })
  const context = { authority: usGov, tenant, clientId, appOnly: true, managedIdentity: false, now }
  it('pass with roles, naming audience, roles and expiry', () => {
    expect(
      claimsCheck(
        token({ aud: 'https://graph.microsoft.us', roles: ['User.Read.All'], exp: now / 1000 + 3600 }),
        context,
      ).detail,
    ).toMatch(/audience https:\/\/graph\.microsoft\.us, roles User\.Read\.All, expires in 60 min/)
  })
  it('fail for an app-only token without roles, with the admin consent URL of the cloud and app', () => {
    const check = claimsCheck(token({ aud: 'https://graph.microsoft.us', idtyp: 'app' }), context)
    expect(check.status).toBe('Fail')
    expect(check.fix).toContain(`https://login.microsoftonline.us/${tenant}/adminconsent?client_id=${clientId}`)
    expect(adminConsentUrl(global, tenant, clientId)).toBe(
      `https://login.microsoftonline.com/${tenant}/adminconsent?client_id=${clientId}`,
    )
  })
})

describe('federated token', () => {
  const now = Date.now()
  const assertion = jwt({
    iss: 'https://token.actions.githubusercontent.com',
    sub: 'repo:contoso/runbooks:ref:refs/heads/main',
    aud: 'api://AzureADTokenExchange',
    exp: now / 1000 + 600,
  })
  it('passes with issuer, subject and audience decoded', () => {
    expect(federationCheck('-ClientAssertion', assertion, 'Global', {}, now).detail).toMatch(
      /subject repo:contoso\/runbooks:ref:refs\/heads\/main, audience api:\/\/AzureADTokenExchange/,
    )
  })
  it("fails for another cloud's audience, and when Entra found no matching credential", () => {
    expect(federationCheck('-ClientAssertion', assertion, 'USGov', {}, now).fix).toMatch(/AzureADTokenExchangeUSGov/)
    const refused = new AuthenticationError('no match', {
      status: 401,
      oauth: { error: 'invalid_client', errorCodes: [700213] },
    })
    expect(federationCheck('-ClientAssertion', assertion, 'Global', refused, now).fix).toMatch(
      /subject repo:contoso\/runbooks:ref:refs\/heads\/main/,
    )
  })
  it('skips for other flows', () => {
    expect(federationCheck(undefined, undefined, 'Global', {}, now).status).toBe('Skip')
  })
})

describe('resource', () => {
  const facts = { aud: 'https://graph.microsoft.com', roles: [] }
  it('passes for 2xx, explains 401 by audience and 403 by missing roles', () => {
    expect(
      resourceCheck('https://graph.microsoft.com/v1.0/users', { status: 200, headers: {}, body: '' }, facts, undefined)
        .status,
    ).toBe('Pass')
    expect(
      resourceCheck(
        'https://management.azure.com/subscriptions',
        { status: 401, headers: {}, body: '' },
        facts,
        undefined,
      ).fix,
    ).toMatch(/-Scope https:\/\/management\.azure\.com\/\.default/)
    const forbidden = resourceCheck(
      'https://graph.microsoft.com/v1.0/users',
      { status: 403, headers: {}, body: '' },
      facts,
      'https://consent',
    )
    expect(forbidden.detail).toMatch(/no roles/)
    expect(forbidden.fix).toMatch(/https:\/\/consent/)
  })
})

describe('the diagnose field of a request', () => {
  const base = { protocolVersion: 1, tenantId: tenant, clientId, clientSecret: 'x', flow: 'clientSecret' }
  it('is an object with an optional uri, on token flows only', async () => {
    const { checkRequest } = await import('../../../src/protocol/request.js')
    expect(checkRequest({ ...base, diagnose: { uri: 'https://graph.microsoft.com/v1.0/me' } }).diagnose?.uri).toBe(
      'https://graph.microsoft.com/v1.0/me',
    )
    expect(() => checkRequest({ ...base, diagnose: 'yes' })).toThrow(/'diagnose' must be an object/)
    expect(() => checkRequest({ ...base, diagnose: { uri: 1 } })).toThrow(/'diagnose.uri' must be a string/)
    expect(() => checkRequest({ ...base, flow: 'deviceCode', diagnose: {} })).toThrow(/takes no 'diagnose'/)
  })
})
