import { describe, expect, it } from 'vitest'
import { normalizeScopes, requireAppOnlyScope } from '../../../src/oauth/scopes.js'

describe('normalizeScopes', () => {
  it.each([
    ['https://management.azure.com', 'https://management.azure.com/.default'],
    ['https://management.core.windows.net/', 'https://management.core.windows.net//.default'],
    ['https://graph.microsoft.com/.default', 'https://graph.microsoft.com/.default'],
    ['https://graph.microsoft.com/User.Read', 'https://graph.microsoft.com/User.Read'],
    ['00000003-0000-0000-c000-000000000000', '00000003-0000-0000-c000-000000000000/.default'],
    ['api://my-api', 'api://my-api/.default'],
    ['api://my-api/access_as_user', 'api://my-api/access_as_user'],
    ['User.Read', 'User.Read'],
    ['  https://vault.azure.net ', 'https://vault.azure.net/.default'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeScopes([input])).toEqual([expected])
  })

  it('drops empty entries and duplicates, keeps order', () => {
    expect(normalizeScopes(['User.Read', '', 'Mail.Read', 'User.Read'])).toEqual(['User.Read', 'Mail.Read'])
  })

  it('refuses a scope string with spaces: several scopes are an array', () => {
    expect(() => normalizeScopes(['User.Read Mail.Read'])).toThrow(/white space/)
  })
})

describe('requireAppOnlyScope', () => {
  it('takes exactly one /.default scope', () => {
    expect(requireAppOnlyScope(['https://graph.microsoft.com/.default'])).toBe('https://graph.microsoft.com/.default')
    expect(() => requireAppOnlyScope(['https://graph.microsoft.com/User.Read'])).toThrow(/delegated permission/)
    expect(() =>
      requireAppOnlyScope(['https://graph.microsoft.com/.default', 'https://vault.azure.net/.default']),
    ).toThrow(/exactly one resource/)
  })
})
