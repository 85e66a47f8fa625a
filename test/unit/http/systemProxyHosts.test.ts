// The module asks the system proxy for the login host of the cloud; its table of hosts must be the core's CLOUDS,
// and its list of proxy variables the core's ENV_VARS.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CLOUDS, ENV_VARS } from '../../../src/config/constants.js'

const script = readFileSync(new URL('../../../module/private/network/SystemProxy.ps1', import.meta.url), 'utf8')

describe('module/private/network/SystemProxy.ps1', () => {
  it('names the login host of every cloud as src/config/constants.ts does', () => {
    const table = /\$script:EntraAuthCloudLoginHosts = @\{([^}]*)\}/.exec(script)?.[1] ?? ''
    const hosts = Object.fromEntries([...table.matchAll(/(\w+)\s*=\s*'([^']+)'/g)].map((match) => [match[1], match[2]]))
    expect(hosts).toEqual(
      Object.fromEntries(Object.entries(CLOUDS).map(([name, cloud]) => [name, cloud.authorityHost])),
    )
  })

  it('skips the system when the core has a proxy variable of its own', () => {
    const list = /\$script:EntraAuthProxyVariables = @\(([^)]*)\)/.exec(script)?.[1] ?? ''
    expect([...list.matchAll(/'([^']+)'/g)].map((match) => match[1])).toEqual([
      ENV_VARS.entraAuthProxy,
      ...ENV_VARS.httpsProxy,
      ...ENV_VARS.httpProxy,
    ])
  })
})
