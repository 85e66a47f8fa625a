// `npm run package`: the Gallery-ready module folder and the Azure Automation zip in dist/, version from package.json.

import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildAll } from './build.mjs'
import { joinModuleScript } from './moduleScript.mjs'
import { ALLOW_NO_CODE_CACHE, buildExecutables, EXE_DIR, executableName } from './sea/buildExecutables.mjs'
import { writeZip } from './zip.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist')
/** Executables in the Azure Automation zip: its sandboxes and Windows Hybrid Workers are Windows x64. */
const AUTOMATION_TARGETS = ['win-x64']

/** The `## <version>` section of CHANGELOG.md. @throws Error when the version has none */
function releaseNotes(version) {
  const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8')
  const match = changelog.match(new RegExp(`^## ${version.replace(/\./g, '\\.')}\\s*\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm'))
  if (match === null) throw new Error(`CHANGELOG.md has no "## ${version}" section: add the release notes for ${version} there.`)
  return match[1].trim()
}

/** The root manifest with the version, release notes and project URI of this release. */
export function stampManifest(text, { version, notes, projectUri }) {
  if (!/^\s*ModuleVersion\s*=\s*'[^']*'/m.test(text)) throw new Error('EntraAuth.psd1 has no ModuleVersion line to stamp.')
  if (notes.split('\n').some((line) => line.startsWith("'@"))) throw new Error('The release notes must not have a line starting with \'@.')
  let stamped = text.replace(/^(\s*ModuleVersion\s*=\s*)'[^']*'/m, `$1'${version}'`)
  const extra = [`            ReleaseNotes = @'\n${notes}\n'@`]
  if (projectUri) extra.push(`            ProjectUri   = '${projectUri.replace(/'/g, "''")}'`)
  stamped = stamped.replace(/^(\s*PSData\s*=\s*@\{\s*\n)/m, `$1${extra.join('\n')}\n`)
  if (!stamped.includes('ReleaseNotes')) throw new Error('EntraAuth.psd1 has no PrivateData.PSData block for the release notes.')
  return stamped
}

/** The file beside the executables in every package that says how each was built (code cache or not, by what). */
export const EXECUTABLES_RECORD = 'executables.json'

/** What a package records of its executables: the Node version and, for each, its file, hash and code cache. */
function executablesRecord(executables, targets) {
  const entries = Object.fromEntries(targets.map((target) => {
    const { file, bytes, sha256, codeCache, builtBy } = executables.targets[target]
    return [target, { file, bytes, sha256, codeCache, builtBy }]
  }))
  return `${JSON.stringify({ nodeVersion: executables.nodeVersion, targets: entries }, null, 2)}\n`
}

/**
 * Lays out `<parent>/EntraAuth/`: manifest, the joined module script, formats, the bundle, the given executables and their
 * record, the about topic (`en-US/`, beside the manifest: Get-Help looks in the module base), LICENSE.
 */
export function layOut(parent, manifestText, executables, targets) {
  const folder = join(parent, 'EntraAuth')
  rmSync(parent, { recursive: true, force: true })
  mkdirSync(join(folder, 'module', 'bin'), { recursive: true })
  writeFileSync(join(folder, 'EntraAuth.psd1'), manifestText)
  const joined = ['bin', 'private', 'public', 'EntraAuth.psm1'].map((name) => join(root, 'module', name))
  cpSync(join(root, 'module'), join(folder, 'module'), { recursive: true, filter: (source) => !joined.some((skip) => source === skip || source.startsWith(`${skip}/`)) })
  writeFileSync(join(folder, 'module', 'EntraAuth.psm1'), joinModuleScript(join(root, 'module')))
  cpSync(join(root, 'module', 'bin', 'entraauth.mjs'), join(folder, 'module', 'bin', 'entraauth.mjs'))
  for (const target of targets) cpSync(join(EXE_DIR, executableName(target)), join(folder, 'module', 'bin', executableName(target)))
  writeFileSync(join(folder, 'module', 'bin', EXECUTABLES_RECORD), executablesRecord(executables, targets))
  cpSync(join(root, 'en-US'), join(folder, 'en-US'), { recursive: true })
  cpSync(join(root, 'LICENSE'), join(folder, 'LICENSE'))
  return folder
}

/** @param options `allowNoCodeCache`: package executables without the code cache their target could have */
export async function buildPackage({ allowNoCodeCache = false } = {}) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const notes = releaseNotes(pkg.version)
  if (!pkg.homepage) process.stderr.write('package.json has no "homepage": the manifest gets no ProjectUri. Set it (npm pkg set homepage=<url>) before publishing.\n')
  await buildAll()
  const executables = await buildExecutables(undefined, { allowNoCodeCache })
  const manifest = stampManifest(readFileSync(join(root, 'EntraAuth.psd1'), 'utf8'), { version: pkg.version, notes, projectUri: pkg.homepage })

  const gallery = layOut(join(dist, 'gallery'), manifest, executables, Object.keys(executables.targets))
  layOut(join(dist, 'automation'), manifest, executables, AUTOMATION_TARGETS)
  const zip = join(dist, `EntraAuth-${pkg.version}.zip`)
  rmSync(zip, { force: true })
  const count = writeZip(zip, join(dist, 'automation', 'EntraAuth'), join(dist, 'automation'))
  rmSync(join(dist, 'automation'), { recursive: true, force: true })
  return { gallery, zip, zipBytes: statSync(zip).size, zipFiles: count, executables }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await buildPackage({ allowNoCodeCache: process.argv.includes(ALLOW_NO_CODE_CACHE) })
  const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`
  process.stdout.write(`Gallery folder: ${result.gallery}\n`)
  for (const entry of Object.values(result.executables.targets)) process.stdout.write(`  ${entry.file}: ${mib(entry.bytes)}, code cache ${entry.codeCache ? 'on' : 'off'}\n`)
  process.stdout.write(`Azure Automation zip: ${result.zip} (${mib(result.zipBytes)}, ${result.zipFiles} files)\n`)
}
