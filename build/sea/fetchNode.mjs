// Fetches the pinned Node.js binary for a target from its npm package, verified against the recorded integrity.

import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * The pin: one Node version, one npm package and tarball integrity per target (build/sea/node-binaries.json).
 * @type {{ version: string, targets: Record<string, { package: string, binary: string, integrity: string }> }}
 */
export const pins = JSON.parse(readFileSync(new URL('./node-binaries.json', import.meta.url), 'utf8'))
export const TARGETS = Object.keys(pins.targets)

function npm() {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm'
}

/**
 * `sha512-<base64>` of a file, the form npm records as a tarball's integrity.
 * @param {string} file
 */
export function integrityOf(file) {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`
}

/**
 * Path of the pinned `node` (or `node.exe`) for a target, in .cache/node/<version>/<target>/. The tarball comes
 * through the ordinary npm client (`npm pack`, from npm's own cache when it has it) and is refused unless its
 * sha512 equals the pinned integrity.
 * @param {string} target
 * @throws Error naming the package, the expected and the actual integrity
 */
export function fetchNodeBinary(target) {
  const pin = pins.targets[target]
  if (pin === undefined) throw new Error(`No pinned Node.js binary for target '${target}'; known targets: ${TARGETS.join(', ')}.`)
  const folder = join(root, '.cache', 'node', pins.version, target)
  const binary = join(folder, pin.binary)
  const stamp = join(folder, 'verified.json')
  if (existsSync(binary) && existsSync(stamp) && JSON.parse(readFileSync(stamp, 'utf8')).integrity === pin.integrity) return binary

  rmSync(folder, { recursive: true, force: true })
  mkdirSync(folder, { recursive: true })
  const spec = `${pin.package}@${pins.version}`
  process.stderr.write(`Fetching ${spec} with npm pack …\n`)
  const packed = JSON.parse(execFileSync(npm(), ['pack', spec, '--json', '--prefer-offline', '--pack-destination', folder], { cwd: folder, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 }).toString('utf8'))
  const tarball = join(folder, packed[0].filename)
  const actual = integrityOf(tarball)
  if (actual !== pin.integrity) {
    rmSync(folder, { recursive: true, force: true })
    throw new Error(`${spec}: the tarball's integrity is ${actual}, but build/sea/node-binaries.json pins ${pin.integrity}. Refusing it: check the npm registry configuration, or update the pin only after verifying the new tarball.`)
  }
  execFileSync('tar', ['-xzf', tarball, '-C', folder, pin.binary], { stdio: 'inherit' })
  rmSync(tarball)
  if (!existsSync(binary)) throw new Error(`${spec} has no ${pin.binary}.`)
  writeFileSync(stamp, JSON.stringify({ package: spec, integrity: pin.integrity }))
  return binary
}
