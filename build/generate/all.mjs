// `npm run generate` (and `npm run build`): every generator that writes committed files from one source (the module's
// protocol facts from src/protocol/protocol.json, the cmdlets' parameter blocks and docs/parameters.md).
// `--check`: writes nothing, lists the stale files and fails; test/lint/generatedSurface.test.ts and the protocol's tests do the same.

import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { surfaceFiles } from './cmdletSurface.mjs'
import { expectedFiles as protocolFiles } from './protocolFacts.mjs'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Each generated file: path, text now, text its source makes. */
export function generatedFiles() {
  // The protocol facts first: a stale generated script would fail the build's packaging of the module.
  const protocol = protocolFiles().map(({ path, text }) => ({ path, actual: readCurrent(path), expected: text }))
  return [...protocol, ...surfaceFiles(root)]
}

/** @param {string} path */
function readCurrent(path) {
  return existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : null
}

/** Writes the stale generated files; returns their paths. */
export function generateAll() {
  const stale = generatedFiles().filter((file) => file.actual !== file.expected)
  for (const file of stale) writeFileSync(join(root, file.path), file.expected)
  return stale.map((file) => file.path)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const stale = generatedFiles().filter((file) => file.actual !== file.expected)
    for (const file of stale) process.stderr.write(`${file.path} is stale: run "npm run generate".\n`)
    process.exitCode = stale.length > 0 ? 1 : 0
  } else {
    for (const path of generateAll()) process.stderr.write(`generated ${path}\n`)
  }
}
