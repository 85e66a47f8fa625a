// The canonical target: one answer for every spelling of a call's scopes and cloud (finding 13).

import { describe, expect, it } from 'vitest'
import { readEnv } from '../../../src/config/env.js'
import { canonicalTarget } from '../../../src/flows/target.js'
import { emptyEnv } from '../helpers.js'

describe('canonicalTarget', () => {
  it.each([[undefined], [['https://graph.microsoft.com']], [['https://graph.microsoft.com/.default']], [[' https://graph.microsoft.com/.default ', '']]])(
    'finding 13: scopes %j are Graph /.default on the global login host',
    (scopes) => {
      expect(canonicalTarget(scopes === undefined ? {} : { scopes }, emptyEnv)).toEqual({ authorityHost: 'https://login.microsoftonline.com', authority: 'https://login.microsoftonline.com', tenantId: '', clientId: '', scopes: ['https://graph.microsoft.com/.default'] })
    },
  )

  it('finding 13: the cloud decides the default scope, whether named or found from the host', () => {
    expect(canonicalTarget({ environment: 'USGov' }, emptyEnv)).toEqual({ authorityHost: 'https://login.microsoftonline.us', authority: 'https://login.microsoftonline.us', tenantId: '', clientId: '', scopes: ['https://graph.microsoft.us/.default'] })
    expect(canonicalTarget({ authorityHost: 'https://LOGIN.microsoftonline.us/' }, emptyEnv).authorityHost).toBe('https://login.microsoftonline.us')
    expect(canonicalTarget({}, readEnv({ AZURE_AUTHORITY_HOST: 'https://login.chinacloudapi.cn' }))).toEqual({ authorityHost: 'https://login.chinacloudapi.cn', authority: 'https://login.chinacloudapi.cn', tenantId: '', clientId: '', scopes: ['https://microsoftgraph.chinacloudapi.cn/.default'] })
  })

  it('gives tenant and client in lower case, from the request or else the token, and the authority of both', () => {
    expect(canonicalTarget({ tenantId: 'Contoso.OnMicrosoft.com', clientId: 'ABCDEF00-0000-0000-0000-000000000001' }, emptyEnv)).toEqual({
      authorityHost: 'https://login.microsoftonline.com',
      authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: 'abcdef00-0000-0000-0000-000000000001',
      scopes: ['https://graph.microsoft.com/.default'],
    })
    const token = { tokenType: 'Bearer', accessToken: 'x', expiresOn: '2026-01-01T00:00:00.000Z', expiresIn: 3600, claims: { tid: 'TID-1', appid: 'APP-1' } }
    expect(canonicalTarget({ tenantId: '' }, emptyEnv, token)).toMatchObject({ authority: 'https://login.microsoftonline.com/tid-1', tenantId: 'tid-1', clientId: 'app-1' })
    expect(canonicalTarget({ tenantId: 'named' }, emptyEnv, token)).toMatchObject({ tenantId: 'named', clientId: 'app-1' })
  })

  it('refuses what the token request would refuse, before any request', () => {
    expect(() => canonicalTarget({ scopes: ['User.Read Mail.Read'] }, emptyEnv)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_REQUEST' }))
    expect(() => canonicalTarget({ authorityHost: 'http://login.example.com' }, emptyEnv)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_REQUEST' }))
  })
})
