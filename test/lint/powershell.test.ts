// The PowerShell format gate (npm run lint:ps): the repository passes it, and each rule fails on a sample.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { checkText, lintPowerShell, MAX_LINE } from '../../build/lint/powershell.mjs'

const root = fileURLToPath(new URL('../..', import.meta.url))
const samples: string[] = []

/** A repository root holding only `files` (path -> text). */
function sampleRoot(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'entraauth-lint-ps-'))
  samples.push(dir)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

afterEach(() => {
  for (const dir of samples.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('npm run lint:ps', () => {
  it('passes on the repository', () => {
    const { errors } = lintPowerShell(root)
    expect(errors).toEqual([])
  })

  it.each([
    ['a line of 121 characters', `${'x'.repeat(MAX_LINE + 1)}\n`, 'line-length'],
    ['a non-ASCII character', "$a = 'Pässwort'\n", 'ascii'],
    ['a tab', 'if ($a) {\n\t$b\n}\n', 'tabs'],
    ['a trailing blank', '$a = 1 \n', 'trailing-blank'],
    ['CRLF line ends', '$a = 1\r\n', 'line-ends'],
    ['no final newline', '$a = 1', 'final-newline'],
  ])('fails on %s', (_name, text, rule) => {
    const dir = sampleRoot({ 'module/private/sample/Sample.ps1': text })
    const { errors } = lintPowerShell(dir, {})
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('module/private/sample/Sample.ps1')
    expect(errors[0]).toContain(`(${rule})`)
  })

  it('checks test/pester too, .psm1 included, and leaves module/bin alone', () => {
    const long = `${'x'.repeat(MAX_LINE + 1)}\n`
    const dir = sampleRoot({ 'test/pester/unit/Helper.psm1': long, 'module/bin/generated.ps1': long })
    const { errors } = lintPowerShell(dir, {})
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('test/pester/unit/Helper.psm1')
  })

  it('a baseline count allows lines longer before the gate, but not one more, and says when it can drop', () => {
    const long = `${'x'.repeat(MAX_LINE + 1)}\n`
    const path = 'module/Old.ps1'
    expect(lintPowerShell(sampleRoot({ [path]: long.repeat(2) }), { [path]: 2 }).errors).toEqual([])
    expect(lintPowerShell(sampleRoot({ [path]: long.repeat(3) }), { [path]: 2 }).errors[0]).toContain(
      '3 lines over 120',
    )
    expect(lintPowerShell(sampleRoot({ [path]: long }), { [path]: 2 }).notes[0]).toContain('lower it to 1')
  })

  it('counts characters, not bytes, and accepts exactly 120', () => {
    expect(checkText(`${'x'.repeat(MAX_LINE)}\n`)).toEqual({ problems: [], longLines: [] })
  })
})
