// The lint gate's "only here" rules (eslint.config.js): each sample in test/lint/samples/ breaks one invariant of the
// core. Linted at a path in its home it passes; anywhere else in src/ it fails with the rule's message naming the home.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

interface Case {
  sample: string
  /** A path in the one place the invariant allows it. */
  home: string
  /** What the failure message names. */
  names: string
}

const cases: Case[] = [
  { sample: 'importsUndici.ts', home: 'src/http/sample.ts', names: "only src/http/ imports 'undici'" },
  { sample: 'importsUndiciDynamically.ts', home: 'src/http/sample.ts', names: "only src/http/ imports 'undici'" },
  { sample: 'readsProcessEnv.ts', home: 'src/config/sample.ts', names: 'only src/config/ reads process.env' },
  { sample: 'destructuresProcessEnv.ts', home: 'src/config/sample.ts', names: 'only src/config/ reads process.env' },
  { sample: 'importsProcessEnv.ts', home: 'src/config/sample.ts', names: 'only src/config/ reads process.env' },
  { sample: 'writesStdout.ts', home: 'src/main.ts', names: 'only src/main.ts writes stdout' },
  { sample: 'importsStdout.ts', home: 'src/main.ts', names: 'only src/main.ts writes stdout' },
]

/** Places in the core that are no invariant's home. */
const elsewhere = ['src/flows/sample.ts', 'src/serve.ts', 'src/protocol/sample.ts', 'src/httpish/sample.ts']

let eslint: ESLint

/** Lints a sample's text as if it were the file at `path` (so the globs of eslint.config.js apply). */
async function lintAt(sample: string, path: string): Promise<{ ruleId: string | null; message: string }[]> {
  const text = readFileSync(new URL(`./samples/${sample}`, import.meta.url), 'utf8')
  const [result] = await eslint.lintText(text, { filePath: `${repoRoot}${path}` })
  return (result?.messages ?? []).map(({ ruleId, message }) => ({ ruleId, message }))
}

beforeAll(() => {
  // The repository's own config; the type-aware rules are off because the virtual paths are in no tsconfig.
  eslint = new ESLint({ cwd: repoRoot, overrideConfig: tseslint.configs.disableTypeChecked })
})

describe('only-here rules', () => {
  describe.each(cases)('$sample', ({ sample, home, names }) => {
    it.each(elsewhere)('fails at %s, naming the one place allowed', async (path) => {
      const messages = await lintAt(sample, path)
      expect(messages.length).toBeGreaterThan(0)
      for (const { message } of messages) expect(message).toContain(names)
    })

    it(`passes in its home (${home})`, async () => {
      expect(await lintAt(sample, home)).toEqual([])
    })

    it('passes outside the core (tests and their helpers may)', async () => {
      expect(await lintAt(sample, 'test/unit/sample.ts')).toEqual([])
    })
  })

  it('the homes keep the other invariants: undici in src/config/, process.env in src/http/, stdout in src/http/ fail', async () => {
    expect((await lintAt('importsUndici.ts', 'src/config/sample.ts')).map((m) => m.message)).toEqual([
      expect.stringContaining("only src/http/ imports 'undici'"),
    ])
    expect((await lintAt('readsProcessEnv.ts', 'src/http/sample.ts')).map((m) => m.message)).toEqual([
      expect.stringContaining('only src/config/ reads process.env'),
    ])
    expect((await lintAt('writesStdout.ts', 'src/http/sample.ts')).map((m) => m.message)).toEqual([
      expect.stringContaining('only src/main.ts writes stdout'),
    ])
    expect((await lintAt('readsProcessEnv.ts', 'src/main.ts')).map((m) => m.message)).toEqual([
      expect.stringContaining('only src/config/ reads process.env'),
    ])
  })

  it('console is refused everywhere in src/, the protocol writer included', async () => {
    for (const path of [...elsewhere, 'src/main.ts', 'src/log/sample.ts']) {
      expect((await lintAt('logsToConsole.ts', path)).map((m) => m.ruleId)).toEqual(['no-console'])
    }
    expect(await lintAt('logsToConsole.ts', 'test/unit/sample.ts')).toEqual([])
  })
})
