// The public cmdlets' parameter blocks and help, and docs/parameters.md, are what build/generate/cmdletParameters.mjs
// makes now: a hand edit of a generated region (or a source change without "npm run generate") fails here.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { renderCmdletFile, renderParametersPage, surfaceFiles } from '../../build/generate/cmdletSurface.mjs'
import { CMDLETS, HEADER_CMDLET, PARAMETERS, TOKEN_CMDLET } from '../../build/generate/cmdletParameters.mjs'

const root = fileURLToPath(new URL('../..', import.meta.url))
type SurfaceFile = { path: string; actual: string; expected: string }

describe('the generated cmdlet surface', () => {
  const files: SurfaceFile[] = surfaceFiles(root)

  it.each(files.map((file) => [file.path, file]))('%s matches its source (run "npm run generate")', (_path, file) => {
    expect(file.actual).toBe(file.expected)
  })

  it('covers both public cmdlets and the parameter table', () => {
    const paths = files.map((file) => file.path)
    for (const cmdlet of CMDLETS as string[]) expect(paths).toContain(`module/public/${cmdlet}.ps1`)
    expect(paths).toContain('docs/parameters.md')
  })

  it("notices a hand edit inside a cmdlet's generated param block", () => {
    const path = `module/public/${HEADER_CMDLET}.ps1`
    const text = readFileSync(join(root, path), 'utf8')
    const edited = text.replace('[ValidateRange(1, 3600)]', '[ValidateRange(1, 7200)]')
    expect(edited).not.toBe(text)
    expect(renderCmdletFile(edited, HEADER_CMDLET, path)).toBe(text)
  })

  it("notices a hand edit of a parameter's help and of the table", () => {
    const path = `module/public/${TOKEN_CMDLET}.ps1`
    const text = readFileSync(join(root, path), 'utf8')
    const edited = text.replace("# The client secret's Value", "# The client secret's value")
    expect(edited).not.toBe(text)
    expect(renderCmdletFile(edited, TOKEN_CMDLET, path)).toBe(text)
    const page = readFileSync(join(root, 'docs/parameters.md'), 'utf8')
    const editedPage = page.replace('| `-Force` | named |', '| `-Force` | 9 |')
    expect(editedPage).not.toBe(page)
    expect(renderParametersPage(editedPage)).toBe(page)
  })

  it('leaves the hand-written body and help outside the markers alone', () => {
    const path = `module/public/${HEADER_CMDLET}.ps1`
    const text = readFileSync(join(root, path), 'utf8')
    const edited = text.replace('.SYNOPSIS', '.SYNOPSIS\n        Hand-written.')
    expect(renderCmdletFile(edited, HEADER_CMDLET, path)).toBe(edited)
  })

  it('writes every parameter of the source into the cmdlets that have it, once', () => {
    for (const cmdlet of CMDLETS as string[]) {
      const text = readFileSync(join(root, `module/public/${cmdlet}.ps1`), 'utf8')
      for (const parameter of PARAMETERS as { name: string; type: string; cmdlets?: string[] }[]) {
        const declared =
          text.split(`[${parameter.type}] $${parameter.name},`).length -
          1 +
          text.split(`[${parameter.type}] $${parameter.name}\n`).length -
          1
        expect(declared, `${cmdlet} -${parameter.name}`).toBe((parameter.cmdlets ?? CMDLETS).includes(cmdlet) ? 1 : 0)
      }
    }
  })

  it('writes the credential parameters between "# shared credential parameters" markers of any other cmdlet', () => {
    const sample = [
      'function Test-Sample {',
      '    [CmdletBinding()]',
      '    param(',
      '        # shared credential parameters: begin',
      '        # shared credential parameters: end',
      '',
      '        # Its own.',
      '        [switch] $Own',
      '    )',
      '}',
      '',
    ].join('\n')
    const rendered: string = renderCmdletFile(sample, 'Test-Sample', 'sample.ps1')
    expect(rendered).toContain('        [string] $TenantId,\n')
    expect(rendered).toContain('        [string] $Prompt,\n')
    expect(rendered).not.toContain('$Scope')
    expect(rendered).toMatch(/\$Own\n {4}\)/)
    expect(renderCmdletFile(rendered, 'Test-Sample', 'sample.ps1')).toBe(rendered)
  })

  it('gives the diagnostics cmdlet the shared parameters without the sign-in sets and -Force', () => {
    const sample = [
      'function Test-MicrosoftEntraIDApplicationAccess {',
      '    param(',
      '        # shared credential parameters: begin',
      '        # shared credential parameters: end',
      '',
      '        [switch] $Quiet',
      '    )',
      '}',
      '',
    ].join('\n')
    const rendered: string = renderCmdletFile(sample, 'Test-MicrosoftEntraIDApplicationAccess', 'sample.ps1')
    expect(rendered).toContain('        [uri] $Proxy,\n')
    expect(rendered).toContain("[Parameter(Mandatory, ParameterSetName = 'ManagedIdentity')]")
    for (const left of [
      '$Force',
      '$DeviceCode',
      '$Interactive',
      '$LoginHint',
      '$PassThru',
      "'DeviceCode'",
      "'Interactive'",
    ]) {
      expect(rendered).not.toContain(left)
    }
  })

  it('keeps generated PowerShell lines within 120 characters and ASCII', () => {
    for (const file of files.filter((f) => f.path.endsWith('.ps1'))) {
      // The two token cmdlets have a whole generated param block; the diagnostics cmdlet a generated credential part.
      const region =
        /# <generated:parameters>[^\n]*\n([\s\S]*?)# <\/generated:parameters>/.exec(file.expected) ??
        /# shared credential parameters: begin[^\n]*\n([\s\S]*?)# shared credential parameters: end/.exec(file.expected)
      expect(region, file.path).not.toBeNull()
      for (const line of (region?.[1] ?? '').split(/\r?\n/)) {
        expect(line.length, `${file.path}: ${line}`).toBeLessThanOrEqual(120)
        expect(/^[\x00-\x7f]*$/.test(line), `${file.path}: ${line}`).toBe(true)
      }
    }
  })
})
