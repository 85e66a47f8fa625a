// Regenerates the committed generated files (build/generate: the module's protocol facts, the cmdlets' parameter
// blocks, docs/parameters.md), then bundles the TypeScript core into module/bin/entraauth.mjs, joins the module's
// scripts into module/bin/EntraAuth.joined.ps1, and bundles the test emulator into test/.out/emulator.mjs.

import { build } from 'esbuild'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { generateAll } from './generate/all.mjs'
import { lazyUndici } from './lazyUndici.mjs'
import { writeSourceJoin } from './moduleScript.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

/** CommonJS dependencies (undici) call require() for Node built-ins; give the ESM bundle one. */
const requireShim =
  "import { createRequire as __entraAuthCreateRequire } from 'node:module'; const require = __entraAuthCreateRequire(import.meta.url);"

/** @type {import('esbuild').BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: requireShim },
  legalComments: 'none',
  logLevel: 'warning',
}

export async function buildAll() {
  // The committed files made from one source first (the packaged psm1 joins the generated protocol script).
  for (const path of generateAll()) process.stderr.write(`generated ${path}\n`)
  await build({
    ...common,
    entryPoints: ['src/main.ts'],
    outfile: 'module/bin/entraauth.mjs',
    minify: true,
    plugins: [lazyUndici],
  })
  // Last, after the generated scripts: a source checkout imports the module's scripts as one file while they are unchanged.
  writeSourceJoin(fileURLToPath(new URL('../module', import.meta.url)))
  if (existsSync(new URL('../test/emulator/cli.ts', import.meta.url))) {
    await build({ ...common, entryPoints: ['test/emulator/cli.ts'], outfile: 'test/.out/emulator.mjs' })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildAll()
