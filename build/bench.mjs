// `npm run bench`: times the seed functions against the packaged module (executable and node + bundle) in pwsh.

import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { emulatorEnv, findPwsh, root, startEmulator } from './tools.mjs'

const pwsh = findPwsh()
const modulePath = join(root, 'dist', 'gallery', 'EntraAuth', 'EntraAuth.psd1')
if (!existsSync(modulePath)) throw new Error(`${modulePath} is missing: run "npm run package" first.`)
const emulator = await startEmulator()
let status
try {
  const result = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', join(root, 'test', 'bench', 'Measure-TokenCalls.ps1'), '-Pwsh', pwsh, '-ModulePath', modulePath, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: emulatorEnv(emulator),
  })
  status = result.status ?? 1
} finally {
  await emulator.stop()
}
process.exitCode = status
