// Finds or fetches the tools the PowerShell tests need: pwsh, the pinned Pester, the emulator.

import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))
export const PESTER_VERSION = '5.7.1'

/**
 * What the emulator's first line says (test/emulator/cli.ts).
 * @typedef {{ url: string, inspectingUrl: string, caFile: string, pid: number, managedIdentity: { url: string } }} EmulatorInfo
 */

/** @param {string} command */
function onPath(command) {
  try {
    execFileSync(command, ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], {
      stdio: 'pipe',
    })
    return true
  } catch {
    return false
  }
}

/** pwsh from PATH or from the dotnet global tools folder. */
export function findPwsh() {
  if (onPath('pwsh')) return 'pwsh'
  const tool = join(homedir(), '.dotnet', 'tools', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh')
  if (existsSync(tool)) return tool
  throw new Error('pwsh was not found. Install it with: dotnet tool install --global PowerShell --version 7.6.9')
}

/** @param {string} command */
function hasCommand(command) {
  try {
    execFileSync(command, ['--version'], { stdio: 'pipe' })
    return true
  } catch {
    return false
  }
}

/**
 * Path of Pester.psd1 at the pinned version, fetched into .cache/ on first use: from NuGet with
 * `dotnet restore` where the .NET SDK is installed (as with pwsh installed as a dotnet tool), else from
 * the PowerShell Gallery with Save-Module.
 * @param {string} pwsh
 */
export function ensurePester(pwsh) {
  const packages = join(root, '.cache', 'nuget')
  const fromNuGet = join(packages, 'pester', PESTER_VERSION, 'tools', 'Pester.psd1')
  const galleryFolder = join(root, '.cache', 'psmodules')
  const fromGallery = join(galleryFolder, 'Pester', PESTER_VERSION, 'Pester.psd1')
  if (existsSync(fromNuGet)) return fromNuGet
  if (existsSync(fromGallery)) return fromGallery
  if (hasCommand('dotnet')) {
    process.stderr.write(`Restoring Pester ${PESTER_VERSION} from NuGet into .cache/nuget …\n`)
    execFileSync(
      'dotnet',
      [
        'restore',
        join(root, 'build', 'pester', 'FetchPester.csproj'),
        '--packages',
        packages,
        '--nologo',
        '-v',
        'quiet',
      ],
      {
        stdio: 'inherit',
        env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
      },
    )
    if (existsSync(fromNuGet)) return fromNuGet
    throw new Error(`Pester ${PESTER_VERSION} was restored but ${fromNuGet} is missing.`)
  }
  process.stderr.write(`Saving Pester ${PESTER_VERSION} from the PowerShell Gallery into .cache/psmodules …\n`)
  execFileSync(
    pwsh,
    [
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      `New-Item -ItemType Directory -Force -Path '${galleryFolder}' | Out-Null; Save-Module -Name Pester -RequiredVersion ${PESTER_VERSION} -Path '${galleryFolder}' -Repository PSGallery`,
    ],
    { stdio: 'inherit' },
  )
  if (existsSync(fromGallery)) return fromGallery
  throw new Error(
    `Pester ${PESTER_VERSION} could not be fetched; install it with: Install-Module Pester -RequiredVersion ${PESTER_VERSION}`,
  )
}

/**
 * Starts the bundled emulator (test/.out/emulator.mjs) and resolves with its first stdout line:
 * `{ url, caFile, pid }`. `stop()` closes its stdin, which ends it.
 * @param {string[]} [args]
 * @returns {Promise<EmulatorInfo & { stop(): Promise<void> }>}
 */
export async function startEmulator(args = []) {
  const script = join(root, 'test', '.out', 'emulator.mjs')
  if (!existsSync(script)) throw new Error(`${script} is missing: run "npm run build" first.`)
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  /** @type {EmulatorInfo} */
  const info = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the emulator exited with code ${code} before it was ready`)))
    lines.once('line', (line) => resolve(JSON.parse(line)))
  })
  child.removeAllListeners('exit')
  const stopped = new Promise((resolve) => child.once('exit', resolve))
  return {
    ...info,
    async stop() {
      child.stdin.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await stopped
      clearTimeout(timer)
    },
  }
}

/**
 * The environment for anything that talks to the emulator: trust its CA, point every endpoint at it,
 * and drop variables that could send a request to a real Microsoft host.
 * @param {EmulatorInfo} emulator
 * @param {NodeJS.ProcessEnv} [extra]
 */
export function emulatorEnv(emulator, extra = {}) {
  const env = { ...process.env }
  for (const name of Object.keys(env)) {
    if (
      /^(AZURE_|IDENTITY_|MSI_|IMDS_|ACTIONS_ID_TOKEN_|ENTRAAUTH_)/.test(name) ||
      /^(https?_proxy|no_proxy)$/i.test(name)
    )
      delete env[name]
  }
  return {
    ...env,
    NODE_EXTRA_CA_CERTS: emulator.caFile,
    // .NET on Linux (pwsh's Invoke-RestMethod in tests and the demo) reads trust from OpenSSL's SSL_CERT_FILE.
    SSL_CERT_FILE: emulator.caFile,
    AZURE_AUTHORITY_HOST: emulator.url,
    // IMDS is the default managed identity source: it must never reach 169.254.169.254 from a test.
    AZURE_POD_IDENTITY_AUTHORITY_HOST: emulator.managedIdentity.url,
    // The other managed identity endpoints, for tests that point the documented variables at them.
    ENTRAAUTH_TEST_MANAGED_IDENTITY: JSON.stringify(emulator.managedIdentity),
    ENTRAAUTH_TEST_EMULATOR: emulator.url,
    // The emulator's listener signed by another CA, standing for a TLS-inspecting proxy (docs/emulator.md).
    ENTRAAUTH_TEST_INSPECTING_LOGIN: emulator.inspectingUrl,
    // The diagnostics' TLS check takes the emulator's CA as one Microsoft's login hosts use (docs/diagnostics.md).
    ENTRAAUTH_TLS_EXPECTED_ISSUERS: 'EntraAuth emulator throwaway CA',
    // The secret expiry check reads the app's registration from the emulator's Graph-shaped endpoint (docs/emulator.md).
    ENTRAAUTH_GRAPH_ENDPOINT: emulator.url,
    ...extra,
  }
}
