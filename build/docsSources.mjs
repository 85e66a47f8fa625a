// Reads the facts the docs' generated tables are made of, from the source that holds each one.

import { build } from 'esbuild'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { root } from './tools.mjs'

/** The TypeScript tables, bundled in memory and imported: the docs see exactly what the core compiles. */
const ENTRY = `
export { documentedEnvironmentVariables } from './src/config/env.ts'
export { defaultMessages } from './src/errors.ts'
export { ERROR_GUIDE } from './src/errorGuide.ts'
export { AADSTS_HINTS, OAUTH_ERROR_HINTS } from './src/oauth/errorHints.ts'
`

/** The file that maps each error code to its PowerShell ErrorCategory. Repoint here when that table moves. */
export const POWERSHELL_CATEGORY_SOURCE = 'module/private/errors/New-EntraAuthErrorRecord.ps1'

/**
 * `{ code: category }` from the PowerShell table (`ERR_X = [System.Management.Automation.ErrorCategory]::Y`).
 * The one reader of that table for the docs: when the table moves to a shared source, only this function changes.
 * @throws Error when the file has no such lines
 */
export function readPowerShellCategories(rootDir = root) {
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
