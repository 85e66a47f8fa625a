// Reads the facts the docs' generated tables are made of, from the source that holds each one.

import { build } from 'esbuild'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { root } from './tools.mjs'

/** The TypeScript tables, bundled in memory and imported: the docs see exactly what the core compiles. */
const ENTRY = `
export { documentedEnvironmentVariables } from './src/config/env.ts'
export { defaultMessages } from './src/errors.ts'
export { ERROR_GUIDE } from './src/errorGuide.ts'
export { AADSTS_HINTS, OAUTH_ERROR_HINTS } from './src/oauth/errorHints.ts'
`

/** The module's table that maps each error code to its PowerShell ErrorCategory. */
export const POWERSHELL_CATEGORY_SOURCE = 'module/private/errors/New-EntraAuthErrorRecord.ps1'
/** The shared protocol table (`errors.<code>.category`), once the categories live there instead. */
export const PROTOCOL_TABLE_SOURCE = 'src/protocol/protocol.json'

/**
 * `{ code: category }`: from the shared protocol table where it has the categories, else from the module's table
 * (`ERR_X = [System.Management.Automation.ErrorCategory]::Y`). The one reader of the categories for the docs.
 * @throws Error when neither source has them
 */
export function readPowerShellCategories(rootDir = root) {
  const shared = join(rootDir, PROTOCOL_TABLE_SOURCE)
  if (existsSync(shared)) {
    const errors = JSON.parse(readFileSync(shared, 'utf8')).errors ?? {}
    const categories = Object.entries(errors).filter(([, spec]) => typeof spec?.category === 'string')
    if (categories.length > 0) return Object.fromEntries(categories.map(([code, spec]) => [code, spec.category]))
  }
  const text = readFileSync(join(rootDir, POWERSHELL_CATEGORY_SOURCE), 'utf8')
  const entries = [...text.matchAll(/^\s*(ERR_[A-Z0-9_]+)\s*=\s*\[System\.Management\.Automation\.ErrorCategory\]::(\w+)/gm)]
  if (entries.length === 0) throw new Error(`${POWERSHELL_CATEGORY_SOURCE} has no "ERR_X = [System.Management.Automation.ErrorCategory]::Y" lines.`)
  return Object.fromEntries(entries.map((match) => [match[1], match[2]]))
}

/** `{ documentedEnvironmentVariables, defaultMessages, ERROR_GUIDE, AADSTS_HINTS, OAUTH_ERROR_HINTS, categories }` */
export async function loadSources(rootDir = root) {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: rootDir, loader: 'ts', sourcefile: 'docs-entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0].text
  const tables = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)
  return { ...tables, categories: readPowerShellCategories(rootDir) }
}
