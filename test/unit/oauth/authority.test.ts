import { describe, expect, it } from 'vitest'
import {
  parseAuthorityHost,
  resolveAuthority,
  tokenEndpoint,
  validateClientId,
  validateTenant,
} from '../../../src/oauth/authority.js'

describe('validateTenant', () => {
  it.each(['bc88430d-6289-4f53-b9ba-c0bb39258221', 'contoso.onmicrosoft.com', 'sub.contoso.example'])(
    'accepts %s',
    (tenant) => {
      expect(validateTenant(tenant, false)).toBe(tenant)
    },
  )

  it.each([
    '',
    'contoso',
    'bad tenant',
    '../common',
    'evil.com/x',
    'a@b.com',
    '1.2.3.4',
    'contoso.com?x=1',
    'contoso.com#x',
  ])('refuses %j before any request', (tenant) => {
    expect(() => validateTenant(tenant, false)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_REQUEST' }))
  })

  it('refuses common for app-only tokens and allows it for user flows', () => {
    expect(() => validateTenant('common', false)).toThrow(/names no tenant/)
    expect(validateTenant('Organizations', true)).toBe('organizations')
  })
})

describe('validateClientId', () => {
  it('requires a GUID and says why it is needed', () => {
    expect(() => validateClientId(undefined, 'to redeem a refresh token')).toThrow(
      /ClientId is required to redeem a refresh token/,
    )
    expect(() => validateClientId('my-app', 'x')).toThrow(/not a GUID/)
    expect(validateClientId(' 73cb4075-110d-4333-b123-0bac229ca06a ', 'x')).toBe('73cb4075-110d-4333-b123-0bac229ca06a')
  })
})

describe('parseAuthorityHost', () => {
  it('accepts https hosts and strips a trailing slash', () => {
    expect(parseAuthorityHost('https://login.microsoftonline.us/', 'x')).toBe('https://login.microsoftonline.us')
  })

  it('accepts plain http only for loopback', () => {
    expect(parseAuthorityHost('http://127.0.0.1:8443', 'x')).toBe('http://127.0.0.1:8443')
    expect(parseAuthorityHost('http://localhost:1', 'x')).toBe('http://localhost:1')
    expect(() => parseAuthorityHost('http://login.example.com', 'x')).toThrow(/plain http/)
  })

  it('refuses paths, queries, credentials and other schemes', () => {
    for (const value of [
      'https://h.example/tenant',
      'https://h.example/?a=1',
      'https://u:p@h.example',
      'ftp://h.example',
      'not a url',
    ]) {
      expect(() => parseAuthorityHost(value, 'x'), value).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_REQUEST' }),
      )
    }
  })
})

describe('resolveAuthority', () => {
  it('prefers -AuthorityHost, then -Environment, then AZURE_AUTHORITY_HOST, then the global cloud', () => {
    expect(
      resolveAuthority({
        authorityHost: 'https://a.example',
        environment: 'USGov',
        envAuthorityHost: 'https://b.example',
      }).host,
    ).toBe('https://a.example')
    expect(resolveAuthority({ environment: 'USGov', envAuthorityHost: 'https://b.example' }).host).toBe(
      'https://login.microsoftonline.us',
    )
    expect(resolveAuthority({ envAuthorityHost: 'https://b.example/' }).host).toBe('https://b.example')
    expect(resolveAuthority({})).toEqual({ host: 'https://login.microsoftonline.com', cloud: 'Global' })
  })

  it('infers the cloud from a known host', () => {
    expect(resolveAuthority({ envAuthorityHost: 'https://login.chinacloudapi.cn' }).cloud).toBe('China')
    expect(resolveAuthority({ authorityHost: 'https://127.0.0.1:9', environment: 'USGov' }).cloud).toBe('USGov')
  })
})

describe('tokenEndpoint', () => {
  it('builds the v2.0 URL on the authority host', () => {
    expect(
      tokenEndpoint({ host: 'https://login.microsoftonline.com', cloud: 'Global' }, 'contoso.onmicrosoft.com'),
    ).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token')
  })
})
