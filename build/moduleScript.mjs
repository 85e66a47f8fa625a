// Joins the module's scripts into the one EntraAuth.psm1 of the package: one file to read and parse at import.

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const LOADER = /^foreach \(\$file in @\(\r?\n([\s\S]*?)^\s*\)\) \{\r?\n\s*\. \(Join-Path -Path \$PSScriptRoot -ChildPath \$file\)\r?\n\}\r?\n/m

/**
 * The text of module/EntraAuth.psm1 with its dot-sourcing loop replaced by the scripts it loads, each between
 * `# region <path>` and `# endregion`, in the same order.
 * @param {string} moduleDir
 * @throws Error when the loop is not found, or when a script under private/ or public/ (or their subfolders) is not loaded by it
 */
export function joinModuleScript(moduleDir) {
  const psm1 = readFileSync(join(moduleDir, 'EntraAuth.psm1'), 'utf8')
  const loader = psm1.match(LOADER)
  if (loader === null) throw new Error('module/EntraAuth.psm1 has no "foreach ($file in @(…)) { . (Join-Path …) }" loop to join the scripts from.')
  const listed = [...(loader[1] ?? '').matchAll(/'([^']+\.ps1)'/g)].map((match) => match[1] ?? '')
  const present = ['private', 'public'].flatMap((folder) =>
    readdirSync(join(moduleDir, folder), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ps1'))
      .map((name) => `${folder}/${name.split('\\').join('/')}`),
  )
  const missing = present.filter((file) => !listed.includes(file))
  if (missing.length > 0) throw new Error(`module/EntraAuth.psm1 does not load ${missing.join(', ')}: add them to its list.`)
  const scripts = listed.map((file) => `# region ${file}\n${readFileSync(join(moduleDir, file), 'utf8').replace(/\s*$/, '\n')}# endregion\n`)
  const header = '# Packaged by "npm run package": the scripts of module/private and module/public joined into one file.\n'
  return header + psm1.replace(LOADER, () => scripts.join('\n'))
}
