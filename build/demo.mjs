// The README's demo: starts the local Entra emulator, imports the module in pwsh and builds a header.

import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { emulatorEnv, findPwsh, root, startEmulator } from './tools.mjs'

const pwsh = findPwsh()
const emulator = await startEmulator()
process.stdout.write(`Local Entra emulator at ${emulator.url} (a throwaway CA, nothing leaves this machine)\n\n`)
let status
try {
  const result = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', join(root, 'build', 'demo.ps1')], { stdio: 'inherit', env: emulatorEnv(emulator) })
  status = result.status ?? 1
} finally {
  await emulator.stop()
}
process.exitCode = status
