import { describe, expect, it } from 'vitest'
import { hintFor } from '../../../src/oauth/errorHints.js'

const context = {
  tenant: 'contoso.onmicrosoft.com',
  clientId: '73cb4075-110d-4333-b123-0bac229ca06a',
  scopes: ['User.Read'],
}

describe('hintFor', () => {
  it.each([
    [7000215, 'invalid_client', /copy the secret's Value .* not its Secret ID/],
    [7000222, 'invalid_client', /has expired\. Create a new secret/],
    [
      700016,
      'unauthorized_client',
      /No app with client id 73cb4075.* in tenant 'contoso\.onmicrosoft\.com'.*not the Object ID/,
    ],
    [90002, 'invalid_request', /not found in this cloud.*-Environment USGov or China/],
    [900023, 'invalid_request', /malformed/],
    [1002012, 'invalid_scope', /'<resource>\/\.default'.*got 'User\.Read'/],
    [70011, 'invalid_scope', /scope 'User\.Read' is not valid/],
    [900144, 'invalid_request', /required parameter was missing/],
    [7000218, 'invalid_client', /confidential client/],
    [700025, 'invalid_client', /public client/],
    [500011, 'invalid_resource', /resource of scope/],
    [50173, 'invalid_grant', /Sign in again/],
  ])('AADSTS%i has a hint that says what to fix', (code, error, hint) => {
    expect(hintFor([code], error, context)).toMatch(hint)
  })

  it.each([
    [700027, /thumbprint 5F3A.* is not registered on app 73cb4075.*Certificates & secrets > Certificates/],
    [700024, /clock of this machine/],
    [700016, /not the Object ID.*a certificate only works for the app it is uploaded to/],
    [700021, /another app than -ClientId/],
    [50012, /another token endpoint/],
  ])('AADSTS%i of a certificate flow names the certificate or what to check', (code, hint) => {
    expect(hintFor([code], 'invalid_client', { ...context, certificateThumbprint: '5F3A'.padEnd(40, '0') })).toMatch(
      hint,
    )
  })

  it('falls back to the OAuth error value, and to nothing', () => {
    expect(hintFor([1], 'invalid_grant', context)).toMatch(/Sign in again/)
    expect(hintFor(undefined, 'something_new', context)).toBeUndefined()
  })
})
