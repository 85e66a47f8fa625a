// The Windows PowerShell 5.1 compatibility check (build/compat): the module has nothing missing, and the samples
// prove the check finds each 7-only use it must, tells guarded from missing, and passes 5.1-style code.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureCompatReferences, runCompat51 } from '../../build/compat/compat51.mjs'
import { joinModuleScript } from '../../build/moduleScript.mjs'
import { root } from '../../build/tools.mjs'

type Finding = { Path: string; Line: number; Status: 'missing' | 'guarded'; What: string; Guard: string | null }
type Run = { status: number | null; findings: Finding[]; stderr: string }

const samples = fileURLToPath(new URL('./samples/', import.meta.url))

async function check(args: string[]): Promise<Run> {
  const result = await runCompat51(['-AsJson', ...args])
  if (result.status === 2 || result.stdout.trim() === '')
    throw new Error(`the check did not run (exit ${result.status}): ${result.stderr}`)
  return { status: result.status, findings: JSON.parse(result.stdout) as Finding[], stderr: result.stderr }
}

/** The marks of a sample: line => the findings it must have ("# missing: <text> | guarded: <text>" after code). */
function marks(file: string): Map<number, { status: string; text: string }[]> {
  const expected = new Map<number, { status: string; text: string }[]>()
  readFileSync(join(samples, file), 'utf8')
    .split(/\r?\n/)
    .forEach((line, index) => {
      const mark = /^\s*[^#\s].*\s#\s((?:missing|guarded): .+)$/.exec(line)
      if (!mark?.[1]) return
      expected.set(
        index + 1,
        mark[1].split(' | ').map((part) => {
          const [status, ...text] = part.split(': ')
          return { status: status ?? '', text: text.join(': ') }
        }),
      )
    })
  return expected
}

function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.Path}:${f.Line}: ${f.Status}: ${f.What}${f.Guard ? ` [${f.Guard}]` : ''}`).join('\n')
}

/** Every mark has a finding of its status containing its text; every finding is on a marked line with its status. */
function expectMarked(run: Run, file: string) {
  const expected = marks(file)
  const own = run.findings.filter((f) => f.Path.endsWith(`samples/${file}`))
  for (const [line, wanted] of expected) {
    for (const { status, text } of wanted) {
      const found = own.some((f) => f.Line === line && f.Status === status && f.What.includes(text))
      expect(
        found,
        `${file}:${line} should be ${status} with "${text}"; found:\n${describeFindings(own.filter((f) => f.Line === line))}`,
      ).toBe(true)
    }
  }
  const unexpected = own.filter((f) => !(expected.get(f.Line) ?? []).some((w) => w.status === f.Status))
  expect(unexpected, `findings on lines that are not marked so:\n${describeFindings(unexpected)}`).toEqual([])
}

describe('Windows PowerShell 5.1 compatibility check', () => {
  // Two runs side by side: the module (its exit code counts), and the samples folder. The module run also checks
  // the one EntraAuth.psm1 the package joins the scripts into (npm run package), made here the same way.
  let module: Run
  let sampled: Run
  const work = mkdtempSync(join(tmpdir(), 'entraauth-compat51-'))
  const joined = join(work, 'EntraAuth.psm1')

  beforeAll(async () => {
    ensureCompatReferences()
    writeFileSync(joined, joinModuleScript(join(root, 'module')))
    ;[module, sampled] = await Promise.all([
      check([join(root, 'module'), join(root, 'EntraAuth.psd1'), joined]),
      check([samples]),
    ])
  }, 300_000)

  afterAll(() => rmSync(work, { recursive: true, force: true }))

  it('finds nothing missing in the module (module/, EntraAuth.psd1 and the packaged EntraAuth.psm1), and exits 0', () => {
    const unguarded = module.findings.filter((f) => f.Status === 'missing')
    expect(unguarded, describeFindings(unguarded)).toEqual([])
    expect(module.status).toBe(0)
    // The joined file has each guarded use the scripts have, so the check read it.
    const inScripts = module.findings.filter((f) => f.Path.startsWith('module/')).length
    expect(module.findings.filter((f) => f.Path === joined).length).toBe(inScripts)
  })

  it("reports the module's guarded 7-only uses as guarded, so it did look at them", () => {
    expect(module.findings.map((f) => f.What).join('\n')).toContain('ExportPkcs8PrivateKey')
    expect(module.findings.every((f) => f.Status === 'guarded' && f.Guard)).toBe(true)
  })

  it('finds every unguarded 7-only use in samples/missing.ps1, and nothing else', () => {
    expect(marks('missing.ps1').size).toBeGreaterThan(40)
    expectMarked(sampled, 'missing.ps1')
  })

  it('exits non-zero when anything is missing unguarded', () => {
    expect(sampled.status).toBe(1)
  })

  it('reports the same uses behind a feature probe or a try/catch as guarded (samples/guarded.ps1)', () => {
    expect(marks('guarded.ps1').size).toBeGreaterThan(10)
    expectMarked(sampled, 'guarded.ps1')
  })

  it('reports nothing in the 5.1 way of writing the same (samples/clean.ps1)', () => {
    expect(sampled.findings.filter((f) => f.Path.endsWith('samples/clean.ps1'))).toEqual([])
  })
})
