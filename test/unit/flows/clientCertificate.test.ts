import { constants, sign } from 'node:crypto'
import jsonwebtoken from 'jsonwebtoken'
import { decodeProtectedHeader } from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import { acquireTokenWithClientCertificate } from '../../../src/flows/clientCertificate.js'
import {
  acquireTokenWithSignedAssertion,
  prepareClientCertificateAssertion,
} from '../../../src/flows/clientCertificateSigned.js'
import type { ClientCertificateRequest } from '../../../src/protocol/request.js'
import { createTestCertificate } from '../../emulator/testCertificates.js'
import {
  CLIENT_ID,
  emptyEnv,
  entraError,
  fakeJwt,
  LOGIN,
  TENANT,
  testDeps,
  TOKEN_PATH,
  useTestDeps,
} from '../helpers.js'

const ca = createTestCertificate({ name: 'flow CA', ca: true })
const leaf = createTestCertificate({ name: 'flow leaf', issuer: ca })
const ENDPOINT = `${LOGIN}${TOKEN_PATH}`
const tokenBody = {
  token_type: 'Bearer',
  expires_in: 3599,
  ext_expires_in: 3599,
  access_token: fakeJwt({ aud: 'https://graph.microsoft.com' }),
}
const base = { protocolVersion: 1 as const, tenantId: TENANT, clientId: CLIENT_ID }
const fromWrapper = (overrides: Partial<ClientCertificateRequest> = {}): ClientCertificateRequest => ({
  ...base,
  flow: 'clientCertificate',
  certificates: [leaf.base64, ca.base64],
  privateKey: leaf.keyPem,
  ...overrides,
})

function certificateDeps(files: Record<string, string> = {}) {
  const deps = testDeps()
  const reads: string[] = []
  return Object.assign(deps, {
    reads,
    readFile: async (path: string) => {
      reads.push(path)
      const text = files[path]
      if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' })
      return Buffer.from(text)
    },
    addSecret: (value: string) => deps.redactor.addSecret(value),
  })
}

describe('certificate flows', () => {
  let deps: ReturnType<typeof certificateDeps>
  let form: URLSearchParams | undefined
  const expectPost = (status = 200, body: object = tokenBody) => {
    deps.agent
      .get(LOGIN)
      .intercept({ path: TOKEN_PATH, method: 'POST', body: (text) => ((form = new URLSearchParams(text)), true) })
      .reply(status, body)
  }
  useTestDeps(
    () => {
      const fresh = certificateDeps({ '/certs/app.pem': leaf.pem + ca.pem + leaf.keyPem })
      // Real time: the throwaway certificates are valid from a day ago, the fake clock starts in 2023.
      fresh.clock.now = () => Date.now()
      return fresh
    },
    (fresh) => (deps = fresh),
  )
  beforeEach(() => {
    form = undefined
  })

  describe('acquireTokenWithClientCertificate', () => {
    it('posts the client credentials grant with a jwt-bearer assertion and no secret', async () => {
      expectPost()
      const token = await acquireTokenWithClientCertificate(fromWrapper(), emptyEnv, deps)
      expect(token.accessToken).toBe(tokenBody.access_token)
      const fields = Object.fromEntries(form!)
      expect(fields).toEqual({
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        scope: 'https://graph.microsoft.com/.default',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: expect.stringMatching(/^eyJ/),
      })
      const claims = jsonwebtoken.verify(fields.client_assertion!, leaf.x509.publicKey, {
        algorithms: ['RS256'],
        audience: ENDPOINT,
        issuer: CLIENT_ID,
        subject: CLIENT_ID,
      })
      expect(claims).toMatchObject({ exp: expect.any(Number), jti: expect.any(String) })
      expect(decodeProtectedHeader(fields.client_assertion!).x5c).toBeUndefined()
    })

    it('reads a PEM file, signs PS256 and sends the chain when asked', async () => {
      expectPost()
      await acquireTokenWithClientCertificate(
        {
          ...base,
          flow: 'clientCertificate',
          certificatePath: '/certs/app.pem',
          algorithm: 'PS256',
          sendCertificateChain: true,
        },
        emptyEnv,
        deps,
      )
      const assertion = form!.get('client_assertion')!
      expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'PS256', x5c: [leaf.base64, ca.base64] })
      expect(() => jsonwebtoken.verify(assertion, leaf.x509.publicKey, { algorithms: ['PS256'] })).not.toThrow()
      expect(deps.reads).toEqual(['/certs/app.pem'])
    })

    it.each([
      ['a tenant that names none', { tenantId: 'common' }, /names no tenant/],
      ['no client id', { clientId: undefined }, /ClientId is required for a certificate/],
      ['two resources', { scopes: ['https://graph.microsoft.com', 'https://management.azure.com'] }, /one/i],
    ])('refuses %s before reading the file or sending anything', async (_, overrides, message) => {
      const request = { ...base, flow: 'clientCertificate' as const, certificatePath: '/certs/app.pem', ...overrides }
      await expect(acquireTokenWithClientCertificate(request, emptyEnv, deps)).rejects.toMatchObject({
        code: 'ERR_INVALID_REQUEST',
        message: expect.stringMatching(message),
      })
      expect(deps.reads).toEqual([])
    })

    it('refuses an expired certificate before any request', async () => {
      const old = createTestCertificate({
        name: 'flow old',
        validFrom: new Date(Date.now() - 400 * 86400_000),
        validTo: new Date(Date.now() - 86400_000),
      })
      await expect(
        acquireTokenWithClientCertificate(
          fromWrapper({ certificates: [old.base64], privateKey: old.keyPem }),
          emptyEnv,
          deps,
        ),
      ).rejects.toMatchObject({
        code: 'ERR_INVALID_REQUEST',
        message: expect.stringMatching(/'CN=flow old' \(thumbprint [0-9A-F]{40}\) expired on/),
      })
    })

    it('turns AADSTS700027 into ERR_AUTH_FAILED with a hint that names the thumbprint', async () => {
      expectPost(
        401,
        entraError(
          700027,
          'invalid_client',
          'The certificate with identifier used to sign the client assertion is not registered on application.',
        ),
      )
      const error = await acquireTokenWithClientCertificate(fromWrapper(), emptyEnv, deps).catch((e: unknown) => e)
      expect(error).toMatchObject({
        code: 'ERR_AUTH_FAILED',
        status: 401,
        hint: expect.stringContaining(`thumbprint ${leaf.sha1Hex} is not registered on app ${CLIENT_ID}`),
      })
    })

    it('keeps the key and the assertion out of debug logs', async () => {
      expectPost(401, entraError(700024, 'invalid_client', 'Client assertion is not within its valid time range.'))
      const error = await acquireTokenWithClientCertificate(
        { ...base, flow: 'clientCertificate', certificatePath: '/certs/app.pem' },
        emptyEnv,
        deps,
      ).catch((e: unknown) => e)
      expect(error).toMatchObject({ hint: expect.stringMatching(/clock of this machine/) })
      deps.logger.debug(`leak test: ${leaf.keyPem} and ${form!.get('client_assertion')}`)
      const log = deps.lines.join('')
      expect(log).toContain("certificate 'CN=flow leaf'")
      for (const line of leaf.keyPem.split('\n').filter((l) => l.length > 16 && !l.startsWith('-----')))
        expect(log).not.toContain(line)
      expect(log).not.toContain(form!.get('client_assertion')!)
    })
  })

  describe('wrapper-side signing', () => {
    const signLikeDotNet = (input: string, algorithm: string, key = leaf.privateKey) =>
      sign(
        'sha256',
        Buffer.from(input),
        algorithm === 'PS256' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : key,
      ).toString('base64url')

    it.each(['RS256', 'PS256'] as const)(
      'prepares header.payload, then sends the %s assertion signed outside the core',
      async (algorithm) => {
        const prepared = await prepareClientCertificateAssertion(
          {
            ...base,
            flow: 'clientCertificatePrepare',
            certificates: [leaf.base64, ca.base64],
            algorithm,
            sendCertificateChain: true,
          },
          emptyEnv,
          deps,
        )
        const assertion = `${prepared.signingInput}.${signLikeDotNet(prepared.signingInput, algorithm)}`
        expectPost()
        await acquireTokenWithSignedAssertion(
          {
            ...base,
            flow: 'clientCertificateSigned',
            certificates: [leaf.base64, ca.base64],
            clientAssertion: assertion,
          },
          emptyEnv,
          deps,
        )
        expect(form!.get('client_assertion')).toBe(assertion)
        expect(
          jsonwebtoken.verify(assertion, leaf.x509.publicKey, { algorithms: [algorithm], audience: ENDPOINT }),
        ).toMatchObject({ sub: CLIENT_ID })
        expect(decodeProtectedHeader(assertion).x5c).toEqual([leaf.base64, ca.base64])
      },
    )

    it("refuses a signature by a key that is not the certificate's, before any request", async () => {
      const prepared = await prepareClientCertificateAssertion(
        { ...base, flow: 'clientCertificatePrepare', certificates: [leaf.base64] },
        emptyEnv,
        deps,
      )
      const assertion = `${prepared.signingInput}.${signLikeDotNet(prepared.signingInput, 'RS256', ca.privateKey)}`
      await expect(
        acquireTokenWithSignedAssertion(
          { ...base, flow: 'clientCertificateSigned', certificates: [leaf.base64], clientAssertion: assertion },
          emptyEnv,
          deps,
        ),
      ).rejects.toMatchObject({
        code: 'ERR_INVALID_REQUEST',
        message: expect.stringMatching(/key and certificate do not match/),
      })
    })
  })
})
