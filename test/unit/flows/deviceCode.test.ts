import { beforeEach, describe, expect, it } from 'vitest'
import { acquireTokenWithDeviceCode } from '../../../src/flows/deviceCode.js'
import type { DeviceCodeRequest } from '../../../src/protocol/request.js'
import { CLIENT_ID, emptyEnv, entraError, fakeJwt, LOGIN, testDeps, useTestDeps } from '../helpers.js'

const PUBLIC_CLIENT = '04b07795-8ddb-461a-bbee-02f9e1bf7b46'
const DEVICE_PATH = '/organizations/oauth2/v2.0/devicecode'
const TOKEN_PATH = '/organizations/oauth2/v2.0/token'
const DEVICE_CODE = 'DAQABIQEAAADW6jl31mB3T7ugrWTT8pFe-device-code'

const request = (overrides: Partial<DeviceCodeRequest> = {}): DeviceCodeRequest => ({
  protocolVersion: 1,
  flow: 'deviceCode',
  tenantId: 'organizations',
  clientId: PUBLIC_CLIENT,
  scopes: ['https://graph.microsoft.com/User.Read'],
  timeoutSec: 900,
  ...overrides,
})

const authorization = (overrides: Record<string, unknown> = {}) => ({
  user_code: 'GDRSRPQ8B',
  device_code: DEVICE_CODE,
  verification_uri: 'https://microsoft.com/devicelogin',
  expires_in: 900,
  interval: 5,
  message:
    'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code GDRSRPQ8B to authenticate.',
  ...overrides,
})

const pending = () =>
  entraError(70016, 'authorization_pending', 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.')
const token = {
  token_type: 'Bearer',
  expires_in: 4415,
  access_token: fakeJwt({ aud: 'https://graph.microsoft.com', scp: 'User.Read' }),
  refresh_token: '1.AXEA-rt',
  scope: 'User.Read',
}

describe('acquireTokenWithDeviceCode', () => {
  let deps: ReturnType<typeof testDeps>
  let prompts: string[]
  let secrets: string[]
  let polls: Array<{ at: number; form: Record<string, string> }>
  beforeEach(() => {
    prompts = []
    secrets = []
    polls = []
  })
  const run = (overrides: Partial<DeviceCodeRequest> = {}) =>
    acquireTokenWithDeviceCode(request(overrides), emptyEnv, {
      ...deps,
      prompt: (message) => prompts.push(message),
      addSecret: (value) => secrets.push(value),
    })
  const start = (body: Record<string, unknown> = authorization()) => {
    let form: Record<string, string> = {}
    deps.agent
      .get(LOGIN)
      .intercept({
        path: DEVICE_PATH,
        method: 'POST',
        body: (text) => ((form = Object.fromEntries(new URLSearchParams(text))), true),
      })
      .reply(200, body)
    return () => form
  }
  /** Answers the next `times` polls; the reply callback runs once per request, so it records the polls. */
  const answer = (status: number, body: Record<string, unknown>, times = 1) =>
    deps.agent
      .get(LOGIN)
      .intercept({ path: TOKEN_PATH, method: 'POST' })
      .reply((options) => {
        polls.push({ at: deps.clock.now(), form: Object.fromEntries(new URLSearchParams(String(options.body))) })
        return { statusCode: status, data: body }
      })
      .times(times)

  useTestDeps(testDeps, (fresh) => (deps = fresh))

  it("shows Entra's message, polls every interval while pending, and returns the token with its refresh token", async () => {
    const startForm = start()
    answer(400, pending(), 2)
    answer(200, token)
    const started = deps.clock.now()
    const result = await run()
    expect(startForm()).toEqual({
      client_id: PUBLIC_CLIENT,
      scope: 'https://graph.microsoft.com/User.Read offline_access',
    })
    expect(prompts).toEqual([authorization().message])
    expect(secrets).toEqual([DEVICE_CODE])
    expect(polls.map((poll) => poll.at - started)).toEqual([5000, 10000, 15000])
    expect(polls[0]?.form).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      client_id: PUBLIC_CLIENT,
      device_code: DEVICE_CODE,
    })
    expect(result).toMatchObject({ refreshToken: '1.AXEA-rt', claims: { scp: 'User.Read' } })
  })

  it('adds 5 s to the interval for every slow_down, for all later polls', async () => {
    start(authorization({ interval: 1 }))
    answer(400, { error: 'slow_down', error_description: 'slow down' })
    answer(400, pending())
    answer(400, { error: 'slow_down', error_description: 'slow down' })
    answer(400, pending())
    answer(200, token)
    await run()
    expect(deps.clock.sleeps).toEqual([1000, 6000, 6000, 11000, 11000])
  })

  it('keeps offline_access once and takes a fractional interval above a second', async () => {
    const startForm = start(authorization({ interval: 1.5 }))
    answer(200, token)
    await run({ scopes: ['User.Read', 'offline_access'] })
    expect(startForm().scope).toBe('User.Read offline_access')
    expect(deps.clock.sleeps).toEqual([1500])
  })

  it.each([0, 0.25, '0'])('finding 6: an interval of %j polls at most once a second', async (interval) => {
    start(authorization({ interval }))
    answer(400, pending(), 4)
    answer(200, token)
    const started = deps.clock.now()
    await run()
    const times = polls.map((poll) => poll.at - started)
    expect(times).toEqual([1000, 2000, 3000, 4000, 5000])
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000)
  })

  it('ends with ERR_DEVICE_CODE_EXPIRED on expired_token', async () => {
    start()
    answer(400, entraError(70020, 'expired_token', 'This device code has expired.'))
    await expect(run()).rejects.toMatchObject({
      code: 'ERR_DEVICE_CODE_EXPIRED',
      message: expect.stringMatching(/GDRSRPQ8B expired after 15 minutes/),
      hint: expect.stringMatching(/devicelogin within 15 minutes/),
    })
  })

  it('never polls past expires_in: stops when the next poll would come too late', async () => {
    start(authorization({ expires_in: 12, interval: 5 }))
    answer(400, pending(), 2)
    const started = deps.clock.now()
    await expect(run()).rejects.toMatchObject({ code: 'ERR_DEVICE_CODE_EXPIRED' })
    expect(polls.map((poll) => poll.at - started)).toEqual([5000, 10000])
    expect(deps.clock.now() - started).toBe(12000)
  })

  it('never waits past -TimeoutSec: ERR_TIMEOUT names it', async () => {
    start()
    answer(400, pending(), 1)
    const started = deps.clock.now()
    await expect(run({ timeoutSec: 8 })).rejects.toMatchObject({
      code: 'ERR_TIMEOUT',
      message: expect.stringMatching(/-TimeoutSec 8 s/),
      hint: expect.stringMatching(/raise -TimeoutSec/),
    })
    expect(deps.clock.now() - started).toBe(8000)
  })

  it('ends with ERR_DEVICE_CODE_DECLINED on authorization_declined', async () => {
    start()
    answer(400, { error: 'authorization_declined', error_description: 'The user declined.' })
    await expect(run()).rejects.toMatchObject({
      code: 'ERR_DEVICE_CODE_DECLINED',
      hint: expect.stringMatching(/approve the request/),
    })
  })

  it('ends on bad_verification_code and other OAuth errors without polling again', async () => {
    start()
    answer(
      400,
      entraError(
        70018,
        'bad_verification_code',
        "The provided value for the input parameter 'device_code' is not valid.",
      ),
    )
    await expect(run()).rejects.toMatchObject({
      code: 'ERR_AUTH_FAILED',
      hint: expect.stringMatching(/run the command again/),
    })
    expect(polls).toHaveLength(1)
  })

  it('says how to allow public client flows when the app is confidential (7000218)', async () => {
    start()
    answer(
      401,
      entraError(
        7000218,
        'invalid_client',
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      ),
    )
    await expect(run({ clientId: CLIENT_ID })).rejects.toMatchObject({
      code: 'ERR_AUTH_FAILED',
      hint: expect.stringMatching(/Allow public client flows/),
    })
  })

  it('retries a 503 of a poll within its bounds and goes on polling', async () => {
    start()
    answer(503, entraError(90033, 'temporarily_unavailable', 'busy'))
    answer(200, token)
    await expect(run()).resolves.toMatchObject({ refreshToken: '1.AXEA-rt' })
    expect(polls).toHaveLength(2)
  })

  it('reports an unknown app at /devicecode as Entra said it, before any prompt', async () => {
    deps.agent
      .get(LOGIN)
      .intercept({ path: DEVICE_PATH, method: 'POST' })
      .reply(400, entraError(700016, 'unauthorized_client', 'Application not found.'))
    await expect(run()).rejects.toMatchObject({ code: 'ERR_AUTH_FAILED' })
    expect(prompts).toEqual([])
  })

  it('refuses an answer without device_code as not a device code', async () => {
    start({ message: 'hello' })
    await expect(run()).rejects.toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
      message: expect.stringMatching(/not a device code/),
    })
  })

  it('fails before any request without a client id or with an app-only tenant error', async () => {
    await expect(run({ clientId: undefined })).rejects.toMatchObject({
      code: 'ERR_INVALID_REQUEST',
      message: expect.stringMatching(/device code sign-in/),
    })
    await expect(run({ tenantId: 'not a tenant' })).rejects.toMatchObject({ code: 'ERR_INVALID_REQUEST' })
  })

  it('keeps the device code out of every log line, also at debug level', async () => {
    start()
    answer(400, pending())
    answer(200, token)
    const redacting = {
      ...deps,
      prompt: (message: string) => prompts.push(message),
      addSecret: (value: string) => deps.redactor.addSecret(value),
    }
    await acquireTokenWithDeviceCode(request(), emptyEnv, redacting)
    expect(deps.lines.join('')).not.toContain(DEVICE_CODE)
    expect(deps.lines.join('')).toMatch(/polling every 5 s for up to 15 minutes/)
  })
})
