import { describe, expect, it } from 'vitest'
import { describeToken } from '../../../src/log/tokenFacts.js'
import { fakeJwt } from '../helpers.js'

const now = Date.parse('2026-11-26T06:00:00Z')
const base = { tokenType: 'Bearer', expiresOn: '2026-11-26T07:00:00.000Z', expiresIn: 3600 }

describe('describeToken', () => {
  it('names audience, tenant, app, expiry, roles of an app-only token, and never the token', () => {
    const accessToken = fakeJwt({ aud: 'https://graph.microsoft.com' })
    const text = describeToken(
      {
        ...base,
        accessToken,
        claims: {
          aud: 'https://graph.microsoft.com',
          tid: 't1',
          appid: 'a1',
          idtyp: 'app',
          roles: ['User.Read.All', 'Group.Read.All'],
        },
      },
      now,
    )
    expect(text).toBe(
      'token: Bearer for https://graph.microsoft.com (tenant t1, app a1, app token), expires 2026-11-26T07:00:00.000Z (in 60 min); roles User.Read.All Group.Read.All',
    )
    expect(text).not.toContain(accessToken)
  })

  it('says when an app-only token has no roles, which is why Graph answers 403', () => {
    expect(describeToken({ ...base, accessToken: 'x', claims: { aud: 'https://management.azure.com' } }, now)).toMatch(
      /; roles none$/,
    )
  })

  it('shows delegated scopes, refresh_in and a kept refresh token', () => {
    const text = describeToken(
      {
        ...base,
        accessToken: 'x',
        refreshIn: 1800,
        refreshToken: 'rt',
        claims: { aud: 'https://graph.microsoft.com', scp: 'User.Read Mail.Read', idtyp: 'user' },
      },
      now,
    )
    expect(text).toMatch(
      /user token\), expires .*; refresh in 1800 s; scopes User\.Read Mail\.Read; with a refresh token$/,
    )
    expect(text).not.toContain('rt;')
  })

  it('counts seconds for a token that has less than two minutes left', () => {
    expect(
      describeToken({ ...base, expiresOn: '2026-11-26T06:00:45.000Z', accessToken: 'x', claims: { aud: 'a' } }, now),
    ).toMatch(/\(in 45 s\)/)
  })

  it('falls back to the granted scope of an opaque token', () => {
    expect(describeToken({ ...base, accessToken: 'opaque', scope: 'User.Read' }, now)).toBe(
      'token: Bearer for (opaque token: audience not readable), expires 2026-11-26T07:00:00.000Z (in 60 min); granted scope User.Read',
    )
  })
})
