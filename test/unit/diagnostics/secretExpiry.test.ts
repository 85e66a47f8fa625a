// The secret expiry check on samples: when it reads the app's registration from Graph, and each outcome of Graph's answer.

import { describe, expect, it } from 'vitest'
import { readEnv } from '../../../src/config/env.js'
import {
  graphBase,
  planSecretExpiry,
  REGISTRATION_READ_ROLES,
  secretExpiryFromGraph,
} from '../../../src/diagnostics/secretExpiry.js'
import { AuthenticationError } from '../../../src/errors.js'

const clientId = '73cb4075-110d-4333-b123-0bac229ca06a'
const secret = 'Rr1Q~registration.Reader_value-0123456789ab'
const now = Date.parse('2026-12-02T00:00:00Z')
const day = 86_400_000

function jwt(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(payload)}.c2ln`
}
const token = (payload: Record<string, unknown>) => ({
  tokenType: 'Bearer',
  accessToken: jwt(payload),
  expiresOn: '',
  expiresIn: 3599,
})
const context = { secret, cloud: 'Global' as const, clientId, graph: 'https://graph.microsoft.com' }
const graph = { aud: 'https://graph.microsoft.com', roles: ['Application.Read.All'] }

function answer(status: number, body: unknown) {
  return { status, headers: {}, body: typeof body === 'string' ? body : JSON.stringify(body) }
}
function credentials(...entries: { hint: string; endsInDays: number; displayName?: string }[]) {
  return answer(200, {
    passwordCredentials: entries.map((entry, index) => ({
      customKeyIdentifier: null,
      displayName: entry.displayName ?? `secret ${index}`,
      endDateTime: new Date(now + entry.endsInDays * day).toISOString(),
      hint: entry.hint,
      keyId: `0000000${index}-0000-4000-8000-000000000000`,
      secretText: null,
      startDateTime: new Date(now - 100 * day).toISOString(),
    })),
  })
}

describe('secret expiry: when to read the registration', () => {
  it('is skipped with the reason unless the app may read its registration, and fails for AADSTS7000222', () => {
    expect(
      planSecretExpiry(token({ aud: 'https://graph.microsoft.com', roles: ['User.Read.All'] }), context),
    ).toMatchObject({ check: { status: 'Skip', detail: expect.stringMatching(/Application\.Read\.All/) } })
    expect(planSecretExpiry(token({}), { ...context, secret: undefined })).toMatchObject({
      check: { status: 'Skip', detail: expect.stringMatching(/no client secret/) },
    })
    const expired = new AuthenticationError('expired', {
      status: 401,
      oauth: { error: 'invalid_client', errorCodes: [7000222] },
    })
    expect(planSecretExpiry(expired, context)).toMatchObject({
      check: { status: 'Fail', fix: expect.stringMatching(/Make a new secret/) },
    })
  })
  it('names the role to add when the Graph token holds none that reads the registration', () => {
    const plan = planSecretExpiry(token({ aud: 'https://graph.microsoft.com', roles: ['User.Read.All'] }), context)
    expect(plan).toMatchObject({
      check: {
        status: 'Skip',
        detail: expect.stringMatching(/add the application permission Application\.Read\.All of Microsoft Graph/),
      },
    })
  })
  it('is skipped for a token of another resource, naming the Graph scope of the cloud', () => {
    const plan = planSecretExpiry(token({ aud: 'https://management.azure.com', roles: ['Application.Read.All'] }), {
      ...context,
      cloud: 'USGov',
    })
    expect(plan).toMatchObject({
      check: {
        status: 'Skip',
        detail: expect.stringMatching(/not Microsoft Graph.*-Scope https:\/\/graph\.microsoft\.us\/\.default/),
      },
    })
  })
  it.each([...REGISTRATION_READ_ROLES])(
    'reads the registration with %s, by the Graph app id or the cloud host as audience',
    (role) => {
      for (const aud of [
        'https://graph.microsoft.com',
        '00000003-0000-0000-c000-000000000000',
        'https://graph.microsoft.us/',
      ]) {
        const plan = planSecretExpiry(token({ aud, roles: [role] }), {
          ...context,
          cloud: 'USGov',
          graph: graphBase('USGov', undefined),
        })
        expect(plan).toEqual({
          url: `https://graph.microsoft.us/v1.0/applications(appId='${clientId}')?$select=passwordCredentials`,
          authorization: `Bearer ${jwt({ aud, roles: [role] })}`,
          secret,
        })
      }
    },
  )
  it('takes the Graph base of each cloud, or ENTRAAUTH_GRAPH_ENDPOINT', () => {
    expect(graphBase('Global', undefined)).toBe('https://graph.microsoft.com')
    expect(graphBase('China', undefined)).toBe('https://microsoftgraph.chinacloudapi.cn')
    const override = readEnv({ ENTRAAUTH_GRAPH_ENDPOINT: ' https://127.0.0.1:8443/ ' }).graphEndpoint
    expect(graphBase('Global', override)).toBe('https://127.0.0.1:8443')
  })
})

describe("secret expiry: Graph's answer", () => {
  const plan = planSecretExpiry(token(graph), context)
  it('the plan reads the registration', () => expect('url' in plan).toBe(true))
  it('passes with the end date and the days left of the secret whose hint matches', () => {
    const check = secretExpiryFromGraph(
      credentials(
        { hint: 'Xy9', endsInDays: 5 },
        { hint: secret.slice(0, 3), endsInDays: 200, displayName: 'automation' },
      ),
      secret,
      now,
    )
    expect(check).toMatchObject({
      status: 'Pass',
      detail: `The secret 'automation' (key id 00000001-0000-4000-8000-000000000000) ends on 2027-06-20, in 200 days.`,
    })
  })
  it('warns within 30 days, with the fix', () => {
    const check = secretExpiryFromGraph(credentials({ hint: secret.slice(0, 3), endsInDays: 30 }), secret, now)
    expect(check).toMatchObject({
      status: 'Warn',
      detail: expect.stringMatching(/ends on 2027-01-01, in 30 days/),
      fix: expect.stringMatching(/Make a new secret/),
    })
    expect(secretExpiryFromGraph(credentials({ hint: secret.slice(0, 3), endsInDays: 31 }), secret, now).status).toBe(
      'Pass',
    )
  })
  it('fails once the end date is past', () => {
    expect(secretExpiryFromGraph(credentials({ hint: secret.slice(0, 3), endsInDays: -1 }), secret, now)).toMatchObject(
      { status: 'Fail', detail: expect.stringMatching(/ended on 2026-12-01/) },
    )
  })
  it('takes the earliest end among secrets that begin alike, and says there are more', () => {
    const check = secretExpiryFromGraph(
      credentials({ hint: secret.slice(0, 3), endsInDays: 300 }, { hint: secret.slice(0, 3), endsInDays: 10 }),
      secret,
      now,
    )
    expect(check).toMatchObject({
      status: 'Warn',
      detail: expect.stringMatching(/key id 00000001-.* or one of 1 more that begin alike ends on .*, in 10 days/),
    })
  })
  it('warns when no secret begins like the one in use, and says so', () => {
    const check = secretExpiryFromGraph(credentials({ hint: 'Xy9', endsInDays: 100 }), secret, now)
    expect(check).toMatchObject({
      status: 'Warn',
      detail: expect.stringMatching(/None of the 1 secrets .* begins like the secret in use/),
    })
  })
  it('is skipped with what 403 and 404 mean, and for another status, an error or an unreadable answer', () => {
    expect(
      secretExpiryFromGraph(
        answer(403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } }),
        secret,
        now,
      ),
    ).toMatchObject({
      status: 'Skip',
      detail: expect.stringMatching(
        /HTTP 403 \(Authorization_RequestDenied\).*OwnedBy reads only the apps the app owns/,
      ),
    })
    expect(
      secretExpiryFromGraph(answer(404, { error: { code: 'Request_ResourceNotFound', message: 'x' } }), secret, now),
    ).toMatchObject({
      status: 'Skip',
      detail: expect.stringMatching(/HTTP 404 \(Request_ResourceNotFound\).*registered in another tenant/),
    })
    expect(secretExpiryFromGraph(answer(503, 'busy'), secret, now)).toMatchObject({
      status: 'Skip',
      detail: expect.stringMatching(/HTTP 503 /),
    })
    expect(secretExpiryFromGraph(new Error('connect ECONNREFUSED'), secret, now)).toMatchObject({
      status: 'Skip',
      detail: expect.stringMatching(/failed: connect ECONNREFUSED/),
    })
    expect(secretExpiryFromGraph(answer(200, '<html>'), secret, now)).toMatchObject({
      status: 'Skip',
      detail: expect.stringMatching(/no passwordCredentials/),
    })
  })
  it('never shows the hint or the secret, and sanitises what Graph names', () => {
    const checks = [
      secretExpiryFromGraph(
        credentials({
          hint: secret.slice(0, 3),
          endsInDays: 100,
          displayName: 'evil\u001b]52;c;payload\u0007\u202ename',
        }),
        secret,
        now,
      ),
      secretExpiryFromGraph(credentials({ hint: 'Xy9', endsInDays: 100 }), secret, now),
      secretExpiryFromGraph(
        answer(403, { error: { code: '\u001b[31mAuthorization_RequestDenied', message: 'x' } }),
        secret,
        now,
      ),
    ]
    for (const check of checks) {
      const text = `${check.detail} ${check.fix ?? ''}`
      expect(text).not.toContain(secret.slice(0, 3))
      expect(text).not.toContain('Xy9')
      expect(text).not.toMatch(/[\u001b\u0007\u202e]/)
    }
  })
})
