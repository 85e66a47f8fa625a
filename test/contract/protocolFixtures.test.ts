// The protocol from the core's side: the built core, resident (--serve) as the module runs it, takes every request of
// test/fixtures/protocol and answers with an envelope of the shape src/protocol/protocol.json documents.
// test/pester/unit/Protocol.Tests.ps1 holds the module to the same fixtures.

import { constants, sign } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import table from '../../src/protocol/protocol.json' with { type: 'json' }
import managedIdentities from '../fixtures/managedIdentities.json' with { type: 'json' }
import { startEmulator, type Emulator } from '../emulator/index.js'
import { askResidentCore, startResidentCore } from './residentCore.js'

const folder = fileURLToPath(new URL('../fixtures/protocol/', import.meta.url))

interface Exchange {
  request: Record<string, unknown>
  envelope?: unknown
}

interface Fixture {
  flow: string
  exchanges: Exchange[]
  errors?: { envelope: unknown; exitCode?: number }[]
  core?: { ok: boolean; code?: string; registerCertificate?: boolean; signPrepared?: boolean; declineDeviceCode?: boolean; environment?: string }
}

/** A fixture with {fixtures} standing for its folder, as the Pester side reads it. */
function readFixture(name: string): Fixture {
  const text = readFileSync(`${folder}${name}.json`, 'utf8')
  return JSON.parse(text.replaceAll('{fixtures}', JSON.stringify(folder.replace(/\/$/, '')).slice(1, -1))) as Fixture
}

const names = readdirSync(folder)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''))
  .sort()

type Spec = { type: string; required?: boolean; object?: string }
const objects = table.objects as Record<string, Record<string, Spec>>

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return value.every((item) => typeof item === 'number') && value.length > 0 ? 'number[]' : 'string[]'
  return value === null ? 'null' : typeof value
}

/**
 * Where `value` differs from the table's `objects[name]`: a field the table does not know, a required one missing, or
 * one of another type. Values are matched by type only (they vary: tokens, times, ids).
 */
function shapeProblems(value: unknown, name: string, path = name): string[] {
  const fields = objects[name]
  if (fields === undefined) return [`${path}: the table has no object '${name}'`]
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not an object`]
  const problems: string[] = []
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) if (!Object.hasOwn(fields, key)) problems.push(`${path}.${key}: not in the table`)
  for (const [key, spec] of Object.entries(fields)) {
    const field = record[key]
    if (field === undefined) {
      if (spec.required === true) problems.push(`${path}.${key}: required, missing`)
      continue
    }
    if (spec.type === 'object') problems.push(...shapeProblems(field, spec.object ?? key, `${path}.${key}`))
    else if (spec.type.endsWith('[]')) {
      const item = spec.type.slice(0, -2)
      if (!Array.isArray(field) || !field.every((entry) => typeof entry === item)) problems.push(`${path}.${key}: not ${spec.type}`)
    } else if (typeOf(field) !== spec.type) problems.push(`${path}.${key}: ${typeOf(field)}, not ${spec.type}`)
  }
  return problems
}

/** The envelope's kind by the table (token, prepared, resolved, failure) and where it differs from its documented shape. */
export function envelopeProblems(envelope: unknown): { kind: string | undefined; problems: string[] } {
  if (typeof envelope !== 'object' || envelope === null) return { kind: undefined, problems: ['envelope: not an object'] }
  const record = envelope as Record<string, unknown>
  const keys = Object.keys(record).sort()
  const kinds = Object.entries(table.envelopes).filter(([, spec]) => spec.ok === record.ok && [...spec.fields].sort().join() === keys.join())
  if (kinds.length !== 1) return { kind: undefined, problems: [`envelope: fields ${keys.join(', ')} (ok ${String(record.ok)}) are no envelope of the table`] }
  const [kind, spec] = kinds[0]!
  return { kind, problems: spec.fields.filter((field) => field !== 'ok').flatMap((field) => shapeProblems(record[field], field)) }
}

/** An envelope for a failure message, its tokens left out (even the emulator's are not for logs). */
const shown = (envelope: unknown): string => JSON.stringify(envelope, (key, value) => (['accessToken', 'refreshToken'].includes(key) ? '(token)' : value))

describe('protocol fixtures against the built core (--serve)', { timeout: 30000 }, () => {
  let emulator: Emulator
  let certificatePem: string
  let keyPem: string
  beforeAll(async () => {
    emulator = await startEmulator()
    const pem = readFileSync(`${folder}certificate.pem`, 'utf8')
    certificatePem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/.exec(pem)![0]
    keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(pem)![0]
  })
  afterAll(async () => emulator.close())
  beforeEach(() => emulator.reset())

  const environment = (fixture: Fixture): Record<string, string> => {
    const base = { AZURE_AUTHORITY_HOST: emulator.url, NODE_EXTRA_CA_CERTS: emulator.caFile }
    if (fixture.core?.environment === 'appService') return { ...base, IDENTITY_ENDPOINT: emulator.managedIdentity.appServiceEndpoint, IDENTITY_HEADER: managedIdentities.identityHeader }
    return base
  }

  it.each(names)('%s: every request is accepted and answered with an envelope of the documented shape', async (name) => {
    const fixture = readFixture(name)
    if (fixture.core?.registerCertificate) {
      const clientId = String(fixture.exchanges[0]!.request.clientId)
      emulator.registerCertificate({ tenantId: String(fixture.exchanges[0]!.request.tenantId), clientId, certificate: certificatePem })
    }
    let prepared: { signingInput: string; algorithm: string } | undefined
    let last: any
    for (const exchange of fixture.exchanges) {
      const request = { ...exchange.request }
      // The assertion PowerShell signs varies (time, jti): sign what this core prepared, with the fixture's key.
      if (fixture.core?.signPrepared && request.flow === 'clientCertificateSigned' && prepared !== undefined) {
        const options = prepared.algorithm === 'PS256' ? { key: keyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : keyPem
        request.clientAssertion = `${prepared.signingInput}.${sign('sha256', Buffer.from(prepared.signingInput), options).toString('base64url')}`
      }
      let answer
      if (fixture.core?.declineDeviceCode) {
        const core = startResidentCore(environment(fixture))
        try {
          const answering = core.send(request)
          const prompt = await core.waitForLine(Number(request.id), /enter the code/)
          emulator.declineDeviceCode({ userCode: /enter the code ([A-Z0-9]+) /.exec(prompt)?.[1] ?? '' })
          answer = await answering
        } finally {
          core.child.kill('SIGKILL')
        }
      } else answer = await askResidentCore(environment(fixture), request)
      expect(answer.accepted, 'the first message says the core read the request').toBe(true)
      const { kind, problems } = envelopeProblems(answer.envelope)
      expect(problems, shown(answer.envelope)).toEqual([])
      expect(kind).toBeDefined()
      // The fixture's envelope is of the same kind the core answers (when the core succeeds here).
      if (answer.envelope.ok === true && exchange.envelope !== undefined) expect(envelopeProblems(exchange.envelope).kind).toBe(kind)
      if (answer.envelope.unsignedAssertion !== undefined) prepared = answer.envelope.unsignedAssertion
      last = answer.envelope
    }
    expect({ ok: last.ok, code: last.error?.code }).toEqual({ ok: fixture.core?.ok ?? true, code: fixture.core?.code })
  })

  it.each(names)('%s: the fixture\'s own envelopes have the documented shape', (name) => {
    const fixture = readFixture(name)
    const envelopes = [...fixture.exchanges.map((exchange) => exchange.envelope), ...(fixture.errors ?? []).map((error) => error.envelope)].filter((envelope) => envelope !== undefined)
    for (const envelope of envelopes) expect(envelopeProblems(envelope).problems, JSON.stringify(envelope)).toEqual([])
  })

  it('every request field of the fixtures is in the table, and every flow of the table has a fixture', () => {
    const requests = names.flatMap((name) => readFixture(name).exchanges.map((exchange) => exchange.request))
    for (const request of requests) for (const field of Object.keys(request)) expect(Object.keys(table.requestFields)).toContain(field)
    const covered = new Set(requests.map((request) => request.flow))
    expect(table.flows.filter((flow) => !covered.has(flow))).toEqual([])
  })

  it('the exit codes of the one-shot core (EXIT_CODES, from the table) are the fixture\'s for every error code', async () => {
    const { EXIT_CODES } = await import('../../src/protocol/table.js')
    const fixture = readFixture('errors')
    for (const error of fixture.errors ?? []) {
      const code = (error.envelope as { error: { code: keyof typeof EXIT_CODES } }).error.code
      expect(EXIT_CODES[code], code).toBe(error.exitCode)
    }
  })
})
