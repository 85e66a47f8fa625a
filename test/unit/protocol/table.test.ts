// The protocol table (src/protocol/protocol.json) and what depends on it: the generated files are fresh, the core
// checks requests by it, the module's environment variables and the citations of the protocol reference resolve.

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { expectedFiles, generateProtocolFacts } from '../../../build/generate/protocolFacts.mjs'
import { ENV_VARS } from '../../../src/config/constants.js'
import { checkRequest } from '../../../src/protocol/request.js'
import { EXIT_CODES, PROTOCOL_VERSION, SECRET_FIELDS } from '../../../src/protocol/table.js'
import table from '../../../src/protocol/protocol.json' with { type: 'json' }

const root = fileURLToPath(new URL('../../../', import.meta.url))

function filesUnder(folder: string, pattern: RegExp): string[] {
  return (readdirSync(join(root, folder), { recursive: true }) as string[]).filter((name) => pattern.test(name)).map((name) => join(folder, name))
}

describe('the protocol table', () => {
  it('has generated the module script and the doc tables as they are committed (npm run build writes them)', () => {
    expect(generateProtocolFacts({ check: true })).toEqual([])
  })

  it('finds a hand edit of a generated file, and a generated file that is missing', () => {
    const committed = (path: string) => readFileSync(join(root, path), 'utf8')
    const handEdited = (path: string) => (path.endsWith('.ps1') ? committed(path).replace('::SecurityError', '::NotSpecified') : committed(path))
    expect(generateProtocolFacts({ check: true, read: handEdited })).toEqual(['module/private/generated/ProtocolFacts.ps1'])
    const docEdited = (path: string) => (path.endsWith('.md') ? committed(path).replace('| `EntraAuth.ERR_TLS` |', '| `EntraAuth.ERR_TLS2` |') : committed(path))
    expect(generateProtocolFacts({ check: true, read: docEdited })).toEqual(['docs/protocol.md'])
    expect(generateProtocolFacts({ check: true, read: () => null })).toEqual(expectedFiles().map((file) => file.path))
  })

  it('is what the core checks requests by: its version, its flows, an unknown field refused', () => {
    const base = { id: 1, protocolVersion: PROTOCOL_VERSION, tenantId: 't', clientSecret: 's', refreshToken: 'r', certificates: ['AAAA'], privateKey: 'k', clientAssertion: 'a' }
    for (const flow of table.flows) expect(() => checkRequest({ ...base, flow }), flow).not.toThrow(/Unknown flow/)
    expect(() => checkRequest({ ...base, flow: 'password' })).toThrow(/Unknown flow 'password'/)
    expect(() => checkRequest({ ...base, flow: 'clientSecret', protocolVersion: PROTOCOL_VERSION + 1 })).toThrow(/Unsupported protocolVersion/)
    expect(() => checkRequest({ id: 1, protocolVersion: 1, flow: 'clientSecret', tenantId: 't', clientSecret: 's', secret: 's' })).toThrow(
      expect.objectContaining({ code: 'ERR_PROTOCOL', message: "Unknown request field 'secret'." }),
    )
    expect(() => checkRequest({ id: 1, protocolVersion: 1, flow: 'clientSecret', tenantId: 't', clientSecret: 's', sendCertificateChain: 'yes' })).toThrow(/'sendCertificateChain' must be true or false/)
  })

  it('names the secrets the redactor registers, and an exit code for every code the core reports', () => {
    expect([...SECRET_FIELDS].sort()).toEqual(['certificatePassword', 'clientAssertion', 'clientSecret', 'privateKey', 'refreshToken'])
    for (const [code, spec] of Object.entries(table.errors)) {
      if (spec.side === 'module') expect(EXIT_CODES, code).not.toHaveProperty(code)
      else expect(EXIT_CODES[code as keyof typeof EXIT_CODES], code).toBe((spec as { exitCode: number }).exitCode)
    }
  })

  it('bounds -TimeoutSec in both public cmdlets as the core bounds timeoutSec (maxTimeoutSec; an attribute takes no variable)', () => {
    for (const file of filesUnder('module/public', /^(Build|Get)-.*\.ps1$/)) {
      const text = readFileSync(join(root, file), 'utf8')
      const bound = /\[ValidateRange\(1, (\d+)\)\]\s*\[int\] \$TimeoutSec/.exec(text)?.[1]
      expect(Number(bound), file).toBe(table.defaults.maxTimeoutSec)
    }
    expect(filesUnder('module/public', /^(Build|Get)-.*\.ps1$/)).toHaveLength(2)
  })

  it('knows every environment variable the module reads: the core\'s (ENV_VARS) or the module\'s own (the table)', () => {
    const core = new Set<string>(Object.values(ENV_VARS).flat())
    const own = new Set(Object.keys(table.environmentVariables))
    // Set by Windows itself: where the module reads which processor it runs on.
    const windows = new Set(['PROCESSOR_ARCHITECTURE', 'PROCESSOR_ARCHITEW6432'])
    const read = new Set<string>()
    for (const file of filesUnder('module', /\.ps1$/)) {
      const text = readFileSync(join(root, file), 'utf8')
      for (const match of text.matchAll(/\$env:([A-Za-z_][A-Za-z0-9_]*)|'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'/g)) {
        const name = match[1] ?? match[2]!
        if (!name.startsWith('ERR_')) read.add(name)
      }
    }
    expect([...read].filter((name) => !core.has(name) && !own.has(name) && !windows.has(name))).toEqual([])
    expect([...own].filter((name) => !read.has(name))).toEqual([])
  })

  it('every citation of docs/entra-protocol.md names a section and title it has', () => {
    const doc = readFileSync(join(root, 'docs/entra-protocol.md'), 'utf8')
    const sections = new Map<string, string>()
    for (const match of doc.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? (.+)$/gm)) sections.set(match[1]!, match[2]!.replaceAll('`', ''))
    for (const match of doc.matchAll(/^\| (0\.\d+) \| ([^|]+) \|/gm)) sections.set(match[1]!, match[2]!.replaceAll('**', '').trim())
    const cited: string[] = []
    for (const file of [...filesUnder('src', /\.ts$/), ...filesUnder('test', /\.ts$/)]) {
      const text = readFileSync(join(root, file), 'utf8')
      expect(text, file).not.toMatch(/protocol doc (section|§|\d)/)
      for (const match of text.matchAll(/§(\d+(?:\.\d+)?) "([^"]+)"/g)) {
        cited.push(match[1]!)
        expect(sections.get(match[1]!) ?? '', `${file}: §${match[1]}`).toContain(match[2]!)
      }
    }
    expect(cited.length).toBeGreaterThan(27)
  })
})
