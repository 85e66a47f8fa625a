// The canonical target: one answer for every spelling of a call's scopes and cloud (finding 13).

import { describe, expect, it } from 'vitest'
import { readEnv } from '../../../src/config/env.js'
import { canonicalTarget } from '../../../src/flows/target.js'
import { emptyEnv } from '../helpers.js'

describe('canonicalTarget', () => {
  it.each([[undefined], [['https://graph.microsoft.com']], [['https://graph.microsoft.com/.default']], [[' https://graph.microsoft.com/.default ', '']]])(
    'finding 13: scopes %j are Graph /.default on the global login host',
    (scopes) => {
      expect(canonicalTarget(scopes === undefined ? {} : { scopes }, emptyEnv)).toEqual({ authorityHost: 'https://login.microsoftonline.com', scopes: ['https://graph.microsoft.com/.default'] })
    },
  )

  it('finding 13: the cloud decides the default scope, whether named or found from the host', () => {
    expect(canonicalTarget({ environment: 'USGov' }, emptyEnv)).toEqual({ authorityHost: 'https://login.microsoftonline.us', scopes: ['https://graph.microsoft.us/.default'] })
    expect(canonicalTarget({ authorityHost: 'https://LOGIN.microsoftonline.us/' }, emptyEnv).authorityHost).toBe('https://login.microsoftonline.us')
    expect(canonicalTarget({}, readEnv({ AZURE_AUTHORITY_HOST: 'https://login.chinacloudapi.cn' }))).toEqual({ authorityHost: 'https://login.chinacloudapi.cn', scopes: ['https://microsoftgraph.chinacloudapi.cn/.default'] })
  })

  it('refuses what the token request would refuse, before any request', () => {
    expect(() => canonicalTarget({ scopes: ['User.Read Mail.Read'] }, emptyEnv)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_REQUEST' }))
    expect(() => canonicalTarget({ authorityHost: 'http://login.example.com' }, emptyEnv)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_REQUEST' }))
  })
})
