// Runs the PowerShell tests under real pwsh with the pinned Pester, against the local Entra emulator.

import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { emulatorEnv, ensurePester, findPwsh, root, startEmulator } from './tools.mjs'

const pwsh = findPwsh()
const pester = ensurePester(pwsh)
const emulator = await startEmulator()
let status = 1
try {
  const result = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', join(root, 'test', 'pester', 'Invoke-Tests.ps1'), '-PesterPath', pester, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: emulatorEnv(emulator),
  })
  status = result.status ?? 1
} finally {
  await emulator.stop()
}
process.exitCode = status
