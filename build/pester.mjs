// Runs the PowerShell tests under real pwsh with the pinned Pester, against the local Entra emulator.
// `--packaged`: the same suite against the packaged module (dist/gallery) with node removed from PATH.
// `--stdin-preamble`: every core the module starts first gets the UTF-8 preamble on its stdin, as .NET Framework's
// Process.Start writes it under code page 65001 (ENTRAAUTH_TEST_STDIN_PREAMBLE=1, read only by the launcher).
// `--as-windows-powershell`: the behaviours of Windows PowerShell 5.1 that this pwsh 7 can take on: the stdin preamble
// above, and $DebugPreference = 'Inquire' inherited by every call (5.1's -Debug sets it) under -NonInteractive, as in
// Azure Automation. `npm test` runs the packaged module this way, the way a 5.1 runbook would drive it.

import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { stagePackaged } from './packagedStage.mjs'
import { emulatorEnv, ensurePester, findPwsh, root, startEmulator } from './tools.mjs'

const args = process.argv.slice(2)
const packaged = args.includes('--packaged')
const asWindowsPowerShell = args.includes('--as-windows-powershell')
const preamble = asWindowsPowerShell || args.includes('--stdin-preamble')
const pesterArgs = args.filter((arg) => !['--packaged', '--stdin-preamble', '--as-windows-powershell'].includes(arg))
if (asWindowsPowerShell) pesterArgs.push('-TestDebugPreference', 'Inquire')

const pwsh = findPwsh()
const pester = ensurePester(pwsh)
/** @type {NodeJS.ProcessEnv} */
const extra = {
  // The process watcher in Secrets.Tests.ps1 is a node script; it gets node by path, not from PATH.
  ENTRAAUTH_TEST_NODE: process.execPath,
  ENTRAAUTH_TEST_DIST: join(root, 'dist'),
}
if (preamble) {
  extra.ENTRAAUTH_TEST_STDIN_PREAMBLE = '1'
  process.stderr.write('Pester with the .NET Framework stdin preamble before each core\'s first request (ENTRAAUTH_TEST_STDIN_PREAMBLE=1)\n')
}
let testRoot = root
let stage
if (packaged) {
  if (!existsSync(join(root, 'dist', 'gallery', 'EntraAuth', 'EntraAuth.psd1'))) throw new Error('dist/gallery/EntraAuth is missing: run "npm run package" first.')
  stage = stagePackaged()
  testRoot = stage.root
  Object.assign(extra, { PATH: stage.path, ENTRAAUTH_CORE: 'executable', ENTRAAUTH_TEST_PACKAGED: '1' })
  process.stderr.write(`Pester against the packaged module in ${stage.root}, node removed from PATH, ENTRAAUTH_CORE=executable\n`)
}

const emulator = await startEmulator()
let status
try {
  const result = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', join(testRoot, 'test', 'pester', 'Invoke-Tests.ps1'), '-PesterPath', pester, ...pesterArgs], {
    stdio: 'inherit',
    env: emulatorEnv(emulator, extra),
  })
  status = result.status ?? 1
} finally {
  await emulator.stop()
  stage?.remove()
}
process.exitCode = status
