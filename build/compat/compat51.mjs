// Runs the Windows PowerShell 5.1 compatibility check (Test-Compatibility51.ps1) under pwsh, after restoring the
// NuGet packages it reads (FetchReferences.csproj) into .cache/nuget. `node build/compat/compat51.mjs [args]`.

import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findPwsh, root } from '../tools.mjs'

const project = join(root, 'build', 'compat', 'FetchReferences.csproj')
export const packageRoot = join(root, '.cache', 'nuget')
export const checkScript = join(root, 'build', 'compat', 'Test-Compatibility51.ps1')

/** The package folders FetchReferences.csproj restores (NuGet's layout: lower-case id, then version). */
function packageFolders() {
  const text = readFileSync(project, 'utf8')
  return [...text.matchAll(/<PackageReference Include="([^"]+)" Version="([^"]+)"/g)].map(([, id = '', version = '']) => join(packageRoot, id.toLowerCase(), version))
}

/** Restores the check's references with `dotnet restore` unless every package is already in .cache/nuget. */
export function ensureCompatReferences() {
  if (packageFolders().every((folder) => existsSync(folder))) return packageRoot
  process.stderr.write('Restoring the 5.1 check references (.NET Framework 4.8, PowerShell 5.1, MetadataLoadContext) from NuGet into .cache/nuget …\n')
  try {
    execFileSync('dotnet', ['restore', project, '--packages', packageRoot, '--nologo', '-v', 'quiet'], {
      stdio: 'inherit',
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
      timeout: 300_000,
    })
  } catch (error) {
    throw new Error(`Could not restore ${project} (${error instanceof Error ? error.message : String(error)}). The check needs the .NET SDK ("dotnet") and NuGet; run "dotnet restore ${project} --packages .cache/nuget" to see why.`, { cause: error })
  }
  const absent = packageFolders().filter((folder) => !existsSync(folder))
  if (absent.length) throw new Error(`dotnet restore finished but ${absent.join(', ')} is missing.`)
  return packageRoot
}

/**
 * Runs the check with `args` (e.g. ['-Path', 'x.ps1', '-AsJson']); resolves with its exit status and output.
 * @param {string[]} [args]
 */
export function runCompat51(args = [], { timeoutMs = 120_000 } = {}) {
  const child = spawn(findPwsh(), ['-NoProfile', '-NonInteractive', '-File', checkScript, '-PackageRoot', packageRoot, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureCompatReferences()
  const result = await runCompat51(process.argv.slice(2))
  process.stdout.write(result.stdout)
  process.stderr.write(result.stderr)
  process.exitCode = result.status ?? 2
}
