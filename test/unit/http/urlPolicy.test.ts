import { describe, expect, it } from 'vitest'
import { chooseProxy, parseProxy, proxySecrets, proxySettings } from '../../../src/http/proxy.js'
import { checkUrl, isLoopbackHost, mayUseProxy } from '../../../src/http/urlPolicy.js'

describe('the URL rule', () => {
  it.each([
    'localhost',
    'LOCALHOST',
    'app.localhost',
    '127.0.0.1',
    '127.255.0.9',
    '[::1]',
    '::1',
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
  ])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true)
  })
  it.each([
    'login.microsoftonline.com',
    '169.254.169.254',
    '10.0.0.4',
    '0.0.0.0',
    'localhost.example.com',
    '128.0.0.1',
    '[::2]',
  ])('%s is not loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false)
  })

  it('finding 8: token services take plain http only on loopback', () => {
    expect(() => checkUrl(new URL('http://runner.example.com/token'), 'token', 'ACTIONS_ID_TOKEN_REQUEST_URL')).toThrow(
      /ACTIONS_ID_TOKEN_REQUEST_URL uses plain http/,
    )
    expect(() => checkUrl(new URL('http://127.0.0.1:8080/token'), 'token', 'x')).not.toThrow()
    expect(() => checkUrl(new URL('https://login.microsoftonline.com'), 'token', 'x')).not.toThrow()
    expect(() => checkUrl(new URL('ftp://host'), 'token', 'x')).toThrow(/not an http or https URL/)
  })

  it('managed identity endpoints are plain http by design, anywhere', () => {
    expect(() =>
      checkUrl(new URL('http://169.254.169.254/metadata/identity/oauth2/token'), 'managedIdentity', 'IMDS'),
    ).not.toThrow()
    expect(() => checkUrl(new URL('http://10.0.0.4:2377/'), 'managedIdentity', 'IDENTITY_ENDPOINT')).not.toThrow()
  })

  it('never proxies loopback or managed identity', () => {
    expect(mayUseProxy(new URL('http://127.0.0.1:1'), 'token')).toBe(false)
    expect(mayUseProxy(new URL('http://169.254.169.254'), 'managedIdentity')).toBe(false)
    expect(mayUseProxy(new URL('https://login.microsoftonline.com'), 'token')).toBe(true)
  })
})

describe('choosing a proxy', () => {
  const login = new URL('https://login.microsoftonline.com/t/oauth2/v2.0/token')
  const env = {
    entraAuthProxy: undefined,
    httpsProxy: 'http://env-proxy:3128',
    httpProxy: undefined,
    noProxy: undefined,
  }

  it('-Proxy, then ENTRAAUTH_PROXY, then HTTPS_PROXY, then the system proxy', () => {
    const source = (settings: ReturnType<typeof proxySettings>) => chooseProxy(login, 'token', settings)?.source
    expect(
      source(
        proxySettings({ proxy: 'http://p:1', systemProxy: 'http://s:1' }, { ...env, entraAuthProxy: 'http://v:1' }),
      ),
    ).toBe('-Proxy')
    expect(source(proxySettings({ systemProxy: 'http://s:1' }, { ...env, entraAuthProxy: 'http://v:1' }))).toBe(
      'ENTRAAUTH_PROXY',
    )
    expect(source(proxySettings({ systemProxy: 'http://s:1' }, env))).toBe('HTTPS_PROXY')
    expect(source(proxySettings({ systemProxy: 'http://s:1' }, { ...env, httpsProxy: undefined }))).toBe(
      'the system proxy',
    )
    expect(source(proxySettings({}, { ...env, httpsProxy: undefined }))).toBeUndefined()
  })

  it('managed identity never gets one, whatever is set', () => {
    expect(
      chooseProxy(
        new URL('http://169.254.169.254/metadata'),
        'managedIdentity',
        proxySettings({ proxy: 'http://p:1', systemProxy: 'http://s:1' }, env),
      ),
    ).toBeUndefined()
  })

  it.each([
    ['login.microsoftonline.com', true],
    ['.microsoftonline.com', true],
    ['*.microsoftonline.com', true],
    ['microsoftonline.com', false],
    ['login.microsoftonline.com:443', true],
    ['login.microsoftonline.com:8443', false],
    ['*', true],
    ['other.example, login.microsoftonline.com', true],
  ])('NO_PROXY=%s bypasses HTTPS_PROXY: %s', (noProxy, bypassed) => {
    expect(chooseProxy(login, 'token', proxySettings({}, { ...env, noProxy })) === undefined).toBe(bypassed)
  })

  it('NO_PROXY does not bypass -Proxy', () => {
    expect(chooseProxy(login, 'token', proxySettings({ proxy: 'http://p:1' }, { ...env, noProxy: '*' }))?.source).toBe(
      '-Proxy',
    )
  })

  it('takes a proxy without a scheme as http, refuses anything but a host and port, and names the source without credentials', () => {
    expect(parseProxy('proxy.corp:8080', 'HTTPS_PROXY')?.url.href).toBe('http://proxy.corp:8080/')
    expect(() => parseProxy('http://user:secret-word@proxy.corp:8080/path', '-Proxy')).toThrow(
      /The proxy http:\/\/proxy.corp:8080 from -Proxy must be/,
    )
    expect(() => parseProxy('http://user:secret-word@proxy.corp:8080/path', '-Proxy')).not.toThrow(/secret-word/)
  })

  it('gives the credentials in proxy URLs to the redactor, as written and decoded', () => {
    expect(proxySecrets(proxySettings({ proxy: 'http://svc:p%40ss@proxy:1' }, env))).toEqual([
      'p%40ss',
      'p@ss',
      'svc',
      'svc',
    ])
  })
})
