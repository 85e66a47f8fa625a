import { describe, expect, it } from 'vitest'
import { acquireTokenInteractively } from '../../../../src/flows/interactive/index.js'
import type { Launched } from '../../../../src/flows/interactive/launch.js'
import type { LoopbackListener, Redirect } from '../../../../src/flows/interactive/loopbackListener.js'
import type { InteractiveSystem } from '../../../../src/flows/interactive/system.js'
import { readEnv } from '../../../../src/config/env.js'
import { s256Challenge } from '../../../../src/oauth/pkce.js'
import type { InteractiveRequest } from '../../../../src/protocol/request.js'
import { fakeJwt, LOGIN, testDeps, useTestDeps } from '../../helpers.js'

const CLIENT = '14d82eec-204b-4c2f-b7e8-296a70dab67e'
const env = readEnv({ ENTRAAUTH_BROWSER: '/opt/test-opener' })
const request: InteractiveRequest = {
  protocolVersion: 1,
  flow: 'interactive',
  tenantId: 'organizations',
  clientId: CLIENT,
  scopes: ['User.Read.All'],
  timeoutSec: 5,
}

/**
 * A machine where the "browser" answers at once: the opener gets the URL and the listener sees the redirect that
 * `answer` makes of it (the authorize URL's query), as the real browser would deliver it.
 */
function fakeSystem(answer: (authorize: URLSearchParams) => Record<string, string>) {
  const pages: string[] = []
  let closed = 0
  let deliver: (redirect: Redirect) => void = () => undefined
  const listener: LoopbackListener = {
    redirectUri: 'http://localhost:50123/',
    port: 50123,
    addresses: ['127.0.0.1', '::1'],
    redirect: new Promise((resolve) => (deliver = resolve)),
    close: async () => void closed++,
  }
  const system: InteractiveSystem = {
    platform: 'linux',
    openListener: async () => listener,
    launch: async (command, args, url): Promise<Launched> => {
      expect([command, ...args]).toEqual(['/opt/test-opener'])
      deliver({
        params: new URLSearchParams(answer(new URL(url).searchParams)),
        respond: async (html) => void pages.push(html),
      })
      return { exited: new Promise(() => undefined) }
    },
  }
  return { system, pages, closed: () => closed }
}

describe('acquireTokenInteractively', () => {
  let deps: ReturnType<typeof testDeps>
  useTestDeps(testDeps, (fresh) => (deps = fresh))
  const flowDeps = () => ({
    ...deps,
    prompt: (line: string) => void prompts.push(line),
    addSecret: (value: string) => deps.redactor.addSecret(value),
    redact: (text: string) => deps.redactor.redact(text),
  })
  let prompts: string[] = []

  it('redeems the code with the PKCE verifier of the challenge it sent and checks the nonce in the id token', async () => {
    prompts = []
    let sent: URLSearchParams | undefined
    let form: Record<string, string> = {}
    const machine = fakeSystem(
      (authorize) => ((sent = authorize), { code: 'the-code', state: authorize.get('state')! }),
    )
    deps.agent
      .get(LOGIN)
      .intercept({
        path: '/organizations/oauth2/v2.0/token',
        method: 'POST',
        body: (body) => ((form = Object.fromEntries(new URLSearchParams(body))), true),
      })
      .reply(200, () => ({
        token_type: 'Bearer',
        expires_in: 3599,
        access_token: fakeJwt({ scp: 'User.Read.All' }),
        refresh_token: 'rt',
        id_token: fakeJwt({ nonce: sent!.get('nonce') }),
      }))
    const token = await acquireTokenInteractively(request, env, flowDeps(), machine.system)
    expect(token.refreshToken).toBe('rt')
    expect(form).toMatchObject({
      grant_type: 'authorization_code',
      client_id: CLIENT,
      code: 'the-code',
      redirect_uri: 'http://localhost:50123/',
      scope: 'User.Read.All openid profile offline_access',
    })
    expect(s256Challenge(form.code_verifier!)).toBe(sent!.get('code_challenge'))
    expect(machine.pages[0]).toContain('data-entraauth-outcome="success"')
    expect(machine.closed()).toBe(1)
    expect(prompts[0]).toMatch(
      /^Sign in with the browser window that opens now \(EntraAuth waits up to 5 s; Ctrl\+C cancels\)\. If none opens, open this page on this machine: https:\/\/login\.microsoftonline\.com\/organizations\/oauth2\/v2\.0\/authorize\?/,
    )
    // Neither the verifier nor the code is ever logged.
    expect(deps.lines.join('\n')).not.toContain(form.code_verifier!)
    expect(deps.lines.join('\n')).not.toContain('the-code')
  })

  it('refuses an id token with another nonce, and tells the browser', async () => {
    const machine = fakeSystem((authorize) => ({ code: 'the-code', state: authorize.get('state')! }))
    deps.agent
      .get(LOGIN)
      .intercept({ path: '/organizations/oauth2/v2.0/token', method: 'POST' })
      .reply(200, {
        token_type: 'Bearer',
        expires_in: 3599,
        access_token: 'at',
        id_token: fakeJwt({ nonce: 'replayed' }),
      })
    await expect(acquireTokenInteractively(request, env, flowDeps(), machine.system)).rejects.toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
      message: expect.stringMatching(/nonce/),
    })
    expect(machine.pages[0]).toContain('data-entraauth-outcome="failure"')
    expect(machine.closed()).toBe(1)
  })

  it('the failure page shows no secret a hostile token endpoint echoes (the code it was sent)', async () => {
    const code = 'the-authorization-code-0123456789'
    const machine = fakeSystem((authorize) => ({ code, state: authorize.get('state')! }))
    deps.agent
      .get(LOGIN)
      .intercept({ path: '/organizations/oauth2/v2.0/token', method: 'POST' })
      .reply(400, {
        error: 'invalid_grant',
        error_description: `AADSTS70000: The code ${code} is not valid.`,
        error_codes: [70000],
      })
    await expect(acquireTokenInteractively(request, env, flowDeps(), machine.system)).rejects.toMatchObject({
      code: 'ERR_AUTH_FAILED',
    })
    expect(machine.pages[0]).toContain('data-entraauth-outcome="failure"')
    expect(machine.pages[0]).toContain('AADSTS70000')
    expect(machine.pages[0]).not.toContain(code)
  })

  it('a wrong state never reaches the token endpoint', async () => {
    const machine = fakeSystem(() => ({ code: 'the-code', state: 'forged' }))
    await expect(acquireTokenInteractively(request, env, flowDeps(), machine.system)).rejects.toMatchObject({
      code: 'ERR_STATE_MISMATCH',
    })
    expect(machine.closed()).toBe(1)
  })

  it('checks its input before it listens', async () => {
    const machine = fakeSystem(() => ({}))
    await expect(
      acquireTokenInteractively({ ...request, clientId: 'not-a-guid' }, env, flowDeps(), machine.system),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_REQUEST' })
    await expect(acquireTokenInteractively(request, readEnv({}), flowDeps(), machine.system)).rejects.toMatchObject({
      code: 'ERR_CREDENTIAL_UNAVAILABLE',
    })
    expect(machine.closed()).toBe(0)
  })
})
