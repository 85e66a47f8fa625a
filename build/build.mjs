// Generates the module's protocol facts, bundles the TypeScript core into module/bin/entraauth.mjs and the test
// emulator into test/.out/emulator.mjs.

import { build } from 'esbuild'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { generateProtocolFacts } from './generate/protocolFacts.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

/** CommonJS dependencies (undici) call require() for Node built-ins; give the ESM bundle one. */
const requireShim = "import { createRequire as __entraAuthCreateRequire } from 'node:module'; const require = __entraAuthCreateRequire(import.meta.url);"

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
  // The module's side of the protocol table first: the packaged psm1 joins the generated script.
  generateProtocolFacts()
  await build({ ...common, entryPoints: ['src/main.ts'], outfile: 'module/bin/entraauth.mjs', minify: true })
  if (existsSync(new URL('../test/emulator/cli.ts', import.meta.url))) {
    await build({ ...common, entryPoints: ['test/emulator/cli.ts'], outfile: 'test/.out/emulator.mjs' })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildAll()
