// The docs' generated tables match what build/docs.mjs makes from the code now, and the code tables they come
// from cover every variable and error code that the core and the module really use.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateSections, readSection, replaceSection, SECTIONS, SECTIONS_GENERATED_ELSEWHERE, staleSections } from '../../build/docs.mjs'
import { readPowerShellCategories } from '../../build/docsSources.mjs'
import { ENV_VARS } from '../../src/config/constants.js'
import { documentedEnvironmentVariables } from '../../src/config/env.js'
import { ERROR_GUIDE } from '../../src/errorGuide.js'
import { defaultMessages } from '../../src/errors.js'

const root = join(import.meta.dirname, '..', '..')
const readPage = (page: string) => readFileSync(join(root, page), 'utf8')
const docsPages = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)

/** Every PowerShell script of the module, by path. */
function moduleScripts(): string[] {
  return readdirSync(join(root, 'module'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ps1') || name.endsWith('.psm1'))
    .map((name) => join(root, 'module', name))
}

let generated: Record<string, string>
/** A page as npm run docs would leave it: the hand-edit tests then see only their own edit. */
const fresh = (page: string) =>
  Object.entries(SECTIONS).reduce((text, [name, section]) => (section.page === page ? replaceSection(text, name, generated[name] ?? '') : text), readPage(page))
beforeAll(async () => {
  generated = await generateSections(root)
})

describe('generated tables', () => {
  it.each(Object.entries(SECTIONS))('%s on its page is what npm run docs makes now', (name, { page }) => {
    expect(readSection(readPage(page), name), `${page}: run "npm run docs"`).toBe(generated[name])
  })

  it('a hand edit inside a generated table is found, naming the table and its page', () => {
    const page = SECTIONS['error-codes'].page
    const edited = fresh(page).replace('| `EntraAuth.ERR_TLS` |', '| `EntraAuth.ERR_TLS` (edited by hand) |')
    expect(edited).not.toBe(fresh(page))
    expect(staleSections(generated, fresh)).toEqual([])
    const stale = staleSections(generated, (path: string) => (path === page ? edited : fresh(path)))
    expect(stale).toEqual([{ name: 'error-codes', page }])
  })

  it('a page that lost its markers is stale, and npm run docs says which pair is missing', () => {
    const page = SECTIONS.environment.page
    const cut = fresh(page).replace('<!-- generated:environment end -->', '')
    expect(staleSections(generated, (path: string) => (path === page ? cut : fresh(path)))).toEqual([{ name: 'environment', page }])
    expect(() => replaceSection(cut, 'environment', 'x')).toThrow(/generated:environment/)
  })

  it('every marked section of the docs is one this generator writes or one generated elsewhere, each on one page', () => {
    const found: string[] = []
    for (const page of [...docsPages, 'README.md', 'CONTRIBUTING.md']) {
      for (const match of readPage(page).matchAll(/<!-- generated:([\w-]+) begin -->/g)) found.push(match[1] ?? '')
    }
    const known = [...Object.keys(SECTIONS), ...SECTIONS_GENERATED_ELSEWHERE]
    expect(found.filter((name) => !known.includes(name)), 'a marked section nobody generates').toEqual([])
    for (const name of Object.keys(SECTIONS)) expect(found.filter((other) => other === name), name).toHaveLength(1)
    for (const name of SECTIONS_GENERATED_ELSEWHERE) expect(found.filter((other) => other === name).length, name).toBeLessThanOrEqual(1)
  })
})

describe('the code tables the docs come from', () => {
  const documented = new Set(documentedEnvironmentVariables().flatMap((entry) => entry.names))
  const documentedFor = (reader: 'core' | 'module') =>
    new Set(documentedEnvironmentVariables().filter((entry) => entry.readBy.includes(reader)).flatMap((entry) => entry.names))

  it('every variable the core reads (ENV_VARS) is documented, and only those are documented as read by the core', () => {
    const read = new Set(Object.values(ENV_VARS).flatMap((names): readonly string[] => (typeof names === 'string' ? [names] : names)))
    expect([...read].filter((name) => !documented.has(name))).toEqual([])
    expect([...documentedFor('core')].filter((name) => !read.has(name))).toEqual([])
  })

  it('IDENTITY_API_VERSION and DEFAULT_IDENTITY_CLIENT_ID, read but once not listed, are documented', () => {
    expect(documented.has('IDENTITY_API_VERSION')).toBe(true)
    expect(documented.has('DEFAULT_IDENTITY_CLIENT_ID')).toBe(true)
  })

  it('every variable a module script reads by name ($env:X, GetEnvironmentVariable(\'X\')) is documented as read by the module', () => {
    const read = new Set<string>()
    for (const file of moduleScripts()) {
      const text = readFileSync(file, 'utf8')
      for (const match of text.matchAll(/\$env:([A-Za-z_][A-Za-z0-9_]*)/g)) read.add(match[1] ?? '')
      for (const match of text.matchAll(/GetEnvironmentVariable\('([A-Za-z_][A-Za-z0-9_]*)'\)/g)) read.add(match[1] ?? '')
    }
    expect(read.size).toBeGreaterThan(3)
    expect([...read].filter((name) => !documentedFor('module').has(name))).toEqual([])
  })

  it('the error guide has exactly the codes of the core and of the module', () => {
    const raisedByModule = new Set<string>()
    for (const file of moduleScripts()) {
      for (const match of readFileSync(file, 'utf8').matchAll(/-Code '(ERR_[A-Z0-9_]+)'/g)) raisedByModule.add(match[1] ?? '')
    }
    const codes = new Set([...Object.keys(defaultMessages), ...Object.keys(readPowerShellCategories(root)), ...raisedByModule])
    expect(Object.keys(ERROR_GUIDE).sort()).toEqual([...codes].sort())
  })

  it('a module-only code has its meaning in the guide; a core code has it in errors.ts', () => {
    for (const [code, entry] of Object.entries(ERROR_GUIDE)) {
      expect(code in defaultMessages || entry.meaning !== undefined, code).toBe(true)
    }
  })

  it('the categories come from the shared protocol table where it has them, else from the module\'s table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entraauth-docs-'))
    try {
      mkdirSync(join(dir, 'src', 'protocol'), { recursive: true })
      mkdirSync(join(dir, 'module', 'private', 'errors'), { recursive: true })
      writeFileSync(join(dir, 'module', 'private', 'errors', 'New-EntraAuthErrorRecord.ps1'), '    ERR_TLS = [System.Management.Automation.ErrorCategory]::SecurityError\n')
      expect(readPowerShellCategories(dir)).toEqual({ ERR_TLS: 'SecurityError' })
      writeFileSync(join(dir, 'src', 'protocol', 'protocol.json'), JSON.stringify({ errors: { ERR_TLS: { category: 'ConnectionError' } } }))
      expect(readPowerShellCategories(dir)).toEqual({ ERR_TLS: 'ConnectionError' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('the PowerShell category table is read (the one function to repoint when it moves)', () => {
    const categories = readPowerShellCategories(root)
    expect(categories.ERR_AUTH_FAILED).toBe('AuthenticationError')
    expect(categories.ERR_INVALID_REQUEST).toBe('InvalidArgument')
  })
})
