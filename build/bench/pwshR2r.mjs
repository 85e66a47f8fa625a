// Builds (once, then reuses) a ReadyToRun pwsh of the same version as the installed one, for `npm run bench:r2r`:
// build/bench/pwsh-r2r/ published from Microsoft.PowerShell.SDK with crossgen2 into .cache/pwsh-r2r/, plus the
// installed pwsh's $PSHOME/Modules (the SDK packages hold the cmdlets' assemblies, not the module manifests).
// `node build/bench/pwshR2r.mjs` builds it and prints its checks.

import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { hostTarget } from '../sea/runners.mjs'
import { findPwsh, root } from '../tools.mjs'
import { assemblyCode } from './readyToRun.mjs'

const project = join(root, 'build', 'bench', 'pwsh-r2r')
const projectFile = join(project, 'PwshR2R.csproj')
const cache = join(root, '.cache', 'pwsh-r2r')
const publishFolder = join(cache, 'publish')
const stampFile = join(cache, 'stamp')
/** The assemblies whose code decides a fresh pwsh's start; each must be ReadyToRun in the build, and is reported. */
const CHECKED_ASSEMBLIES = ['System.Management.Automation.dll', 'Microsoft.PowerShell.ConsoleHost.dll', 'pwsh.dll']
/** This machine's .NET runtime identifier (linux-x64, win-x64, osx-arm64, ...). */
const runtimeIdentifier = hostTarget().replace(/^darwin-/, 'osx-')
const dotnetEnv = { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' }

/** The PowerShell SDK version the project pins (written once, in the .csproj). */
export function sdkVersion() {
  const match = /Include="Microsoft\.PowerShell\.SDK" Version="([^"]+)"/.exec(readFileSync(projectFile, 'utf8'))
  if (!match) throw new Error(`${projectFile} names no Microsoft.PowerShell.SDK version`)
  return /** @type {string} */ (match[1])
}

/**
 * $PSHOME and version of a pwsh, from a script it runs (-File) that imports a built-in and a script module.
 * @param {string} pwsh
 * @returns {{ home: string, version: string, edition: string, modules: string[], jitMethods: number, jitMs: number }}
 */
export function describePwsh(pwsh) {
  const script = join(project, 'Describe-Pwsh.ps1')
  const output = execFileSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', script], { encoding: 'utf8' })
  return JSON.parse(/** @type {string} */ (output.trim().split('\n').pop()))
}

/**
 * What kind of code each checked assembly of a $PSHOME holds.
 * @param {string} home
 */
export function codeOf(home) {
  return Object.fromEntries(CHECKED_ASSEMBLIES.map((name) => [name, assemblyCode(join(home, name))]))
}

/**
 * The inputs of a build: the project's files, the SDK that compiles it, the pwsh whose modules it copies.
 * @param {{ home: string, version: string }} installed
 */
function stamp(installed) {
  const hash = createHash('sha256')
  for (const name of ['PwshR2R.csproj', 'Program.cs']) hash.update(readFileSync(join(project, name)))
  hash.update(execFileSync('dotnet', ['--version'], { encoding: 'utf8', env: dotnetEnv }))
  hash.update(`${runtimeIdentifier}\n${installed.home}\n${installed.version}\n`)
  return hash.digest('hex')
}

/**
 * The ReadyToRun pwsh's path, built into .cache/pwsh-r2r/ when its inputs changed.
 * @param {string} [installedPwsh] the installed pwsh (IL only, as `dotnet tool install` brings it)
 * @returns {{ pwsh: string, installed: { home: string, version: string } }}
 * @throws {Error} when dotnet is missing, the installed pwsh is another version than the SDK, the publish fails, or
 *   the result is not ReadyToRun or not a working pwsh of that version
 */
export function ensureReadyToRunPwsh(installedPwsh = findPwsh()) {
  const installed = describePwsh(installedPwsh)
  const version = sdkVersion()
  if (installed.version !== version)
    throw new Error(
      `The installed pwsh is ${installed.version}, the ReadyToRun build is ${version} (build/bench/pwsh-r2r/PwshR2R.csproj): ` +
        `install pwsh ${version} (dotnet tool install --global PowerShell --version ${version}) or change the pin.`,
    )
  const pwsh = join(publishFolder, process.platform === 'win32' ? 'pwsh.exe' : 'pwsh')
  const wanted = stamp(installed)
  if (existsSync(pwsh) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted)
    return { pwsh, installed }
  process.stderr.write(`Publishing a ReadyToRun pwsh ${version} into .cache/pwsh-r2r/ (a few minutes, once) …\n`)
  rmSync(cache, { recursive: true, force: true })
  mkdirSync(cache, { recursive: true })
  execFileSync(
    'dotnet',
    [
      'publish',
      projectFile,
      '-c',
      'Release',
      '-r',
      runtimeIdentifier,
      '--artifacts-path',
      join(cache, 'artifacts'),
      '-o',
      publishFolder,
      '--packages',
      join(root, '.cache', 'nuget'),
      '--nologo',
      '-v',
      'quiet',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'], env: dotnetEnv },
  )
  cpSync(join(installed.home, 'Modules'), join(publishFolder, 'Modules'), { recursive: true })
  const notReadyToRun = Object.entries(codeOf(publishFolder)).filter(([, code]) => code !== 'ReadyToRun')
  if (notReadyToRun.length > 0)
    throw new Error(
      `The publish left ${notReadyToRun.map(([name]) => name).join(', ')} without ReadyToRun code: ` +
        'PwshR2R.csproj must set PublishReadyToRun, and the publish must find crossgen2 for the SDK (NuGet).',
    )
  const built = describePwsh(pwsh)
  if (built.version !== version || built.home !== publishFolder || built.modules.length !== 2)
    throw new Error(
      `The built pwsh says version ${built.version}, $PSHOME ${built.home}, imported ${built.modules.join(', ')}; ` +
        `expected ${version}, ${publishFolder}, Microsoft.PowerShell.Utility and SeedFunctions.`,
    )
  writeFileSync(stampFile, wanted)
  return { pwsh, installed }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const installedPwsh = findPwsh()
  const { pwsh } = ensureReadyToRunPwsh(installedPwsh)
  for (const [name, path] of [
    ['installed pwsh', installedPwsh],
    ['ReadyToRun build', pwsh],
  ]) {
    const described = describePwsh(/** @type {string} */ (path))
    process.stdout.write(
      `${name} ${described.version} (${described.edition}): ${described.home}; imported ${described.modules.join(', ')}; ` +
        `${described.jitMethods} methods JIT-compiled in ${described.jitMs.toFixed(0)} ms by the script's end\n`,
    )
    for (const [assembly, kind] of Object.entries(codeOf(described.home)))
      process.stdout.write(`  ${kind.padEnd(10)}  ${assembly}\n`)
  }
}
