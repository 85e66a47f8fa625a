// `npm run bench`: times the seed functions against ours in pwsh, both talking to the local emulator.

import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { emulatorEnv, findPwsh, root, startEmulator } from './tools.mjs'

const pwsh = findPwsh()
const emulator = await startEmulator()
let status = 1
try {
  const result = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', join(root, 'test', 'bench', 'Measure-TokenCalls.ps1'), '-Pwsh', pwsh, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: emulatorEnv(emulator),
  })
  status = result.status ?? 1
} finally {
  await emulator.stop()
}
process.exitCode = status
