// Honest scripts: every vitest file belongs to a layer (vitest.config.ts), each layer has its `test:<layer>` script
// that runs it alone, and `npm test` runs every layer after what it needs (the bundle, dist/ for the package tests).

import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { layers } from '../../vitest.config.js'

const testRoot = new URL('..', import.meta.url)
const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts

/** The folders of test/ that hold at least one *.test.ts file, at any depth. */
function foldersWithTests(): string[] {
  const entries = readdirSync(testRoot, { recursive: true, withFileTypes: true })
  const files = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
  const relative = files.map((entry) => entry.parentPath.slice(testRoot.pathname.length).split(/[\\/]/)[0] ?? '')
  return [...new Set(relative)].filter((folder) => folder !== '.out').sort()
}

/** The npm scripts `npm test` runs, in order. */
function testSteps(): string[] {
  const script = scripts['test'] ?? ''
  return script.split('&&').map((step) => step.trim().replace(/^npm run /, ''))
}

describe('vitest layers and npm scripts', () => {
  it('every folder of test/ with vitest files is a layer, and every layer has tests', () => {
    expect(foldersWithTests()).toEqual([...layers].sort())
  })

  it.each(layers)('test:%s runs that layer alone', (layer) => {
    expect(scripts[`test:${layer}`]).toBe(`vitest run --project ${layer}`)
  })

  it('npm test runs lint, typecheck, every layer, both Pester runs, and no bare vitest run', () => {
    const steps = testSteps()
    for (const step of ['lint', 'typecheck', 'build', 'package', 'test:pester', 'test:packaged', ...layers.map((layer) => `test:${layer}`)]) {
      expect(steps).toContain(step)
    }
    expect(steps.every((step) => !step.includes('vitest'))).toBe(true)
  })

  it('npm test goes fast to slow and keeps each dependency: lint first, the bundle and dist/ before their users', () => {
    const steps = testSteps()
    const at = (step: string) => steps.indexOf(step)
    expect(steps.slice(0, 3)).toEqual(['lint', 'typecheck', 'test:unit'])
    for (const needsBundle of ['test:emulator', 'test:contract', 'test:session', 'test:pty', 'test:browser', 'test:pester']) {
      expect(at('build')).toBeLessThan(at(needsBundle))
    }
    // The contract tests run the pinned Node and the linux-x64 executable, the source Pester run checks dist/.
    for (const needsDist of ['test:contract', 'test:package', 'test:pester', 'test:packaged']) {
      expect(at('package')).toBeLessThan(at(needsDist))
    }
    expect(steps.at(-1)).toBe('test:packaged')
  })
})
