// Runs a target's binary on this Linux x64 machine: natively, under wine (Windows) or under qemu-user (arm64).

import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { arch, platform } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const QEMU_AARCH64 = '/usr/bin/qemu-aarch64-static'
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu'
/** Where Debian's wine64 package puts its launcher: it adds no `wine` or `wine64` command to PATH. */
const DEBIAN_WINE64 = '/usr/lib/wine/wine64'

/**
 * @typedef {object} Runner How to start a target's binary here.
 * @property {'native' | 'wine' | 'qemu'} kind
 * @property {string} command
 * @property {string[]} args
 * @property {(extra?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv} env
 */

/** @param {string} command */
function which(command) {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' })
  return result.status === 0 ? result.stdout.trim() : undefined
}

/** `linux-x64`, `win-arm64`, … for this machine, or undefined where no executable is built for it. */
export function hostTarget() {
  const os = platform() === 'win32' ? 'win' : platform()
  return `${os}-${arch()}`
}

/** The wine launcher: `wine` or `wine64` on PATH, else Debian's wine64 package by its path; or undefined. */
export function findWine() {
  if (platform() !== 'linux') return undefined
  return which('wine') ?? which('wine64') ?? (existsSync(DEBIAN_WINE64) ? DEBIAN_WINE64 : undefined)
}

/**
 * The targets whose executables a build on this machine's kind must make with V8's code cache: those whose own
 * node a Linux x64 build machine can run (natively, under wine, under qemu-user) once build/setup-machine.sh
 * installed the runners. win-arm64 has no runner anywhere here, so no code cache. Whether a runner is installed
 * right now does not matter: a missing one is a broken set-up, not a reason to ship a slower executable.
 */
export function codeCacheTargets() {
  const host = hostTarget()
  if (host === 'linux-x64') return [host, 'win-x64', 'linux-arm64']
  return [host]
}

/** qemu-user for arm64 with Debian's arm64 C/C++ runtime (qemu-user-static, libc6-arm64-cross, libstdc++6-arm64-cross). */
export function findQemuArm64() {
  if (platform() !== 'linux' || arch() !== 'x64') return undefined
  const ready = existsSync(QEMU_AARCH64) && existsSync(join(ARM64_SYSROOT, 'lib', 'ld-linux-aarch64.so.1')) && existsSync(join(ARM64_SYSROOT, 'lib', 'libstdc++.so.6'))
  return ready ? QEMU_AARCH64 : undefined
}

/** The environment wine runs in: its own prefix under .cache/, Windows 10, no Mono/Gecko prompts, no debug noise. */
export function wineEnv(extra = {}) {
  return {
    ...process.env,
    WINEPREFIX: join(root, '.cache', 'wine'),
    WINEDEBUG: '-all',
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    ...extra,
  }
}

/**
 * Creates the wine prefix once and reports Windows 10 (Node refuses anything before 8.1).
 * @param {string} wine
 */
export function ensureWinePrefix(wine) {
  const stamp = join(root, '.cache', 'wine', 'entraauth-win10')
  if (existsSync(stamp)) return
  mkdirSync(join(root, '.cache', 'wine'), { recursive: true })
  execFileSync(wine, ['winecfg', '-v', 'win10'], { env: wineEnv(), stdio: 'ignore', timeout: 180_000 })
  writeFileSync(stamp, 'win10\n')
}

/**
 * A Linux path as wine's Z: drive sees it (`/tmp/ca.pem` → `Z:\tmp\ca.pem`).
 * @param {string} path
 */
export function windowsPath(path) {
  return `Z:${path.replace(/\//g, '\\')}`
}

/**
 * How to start `binary` of `target` here: `{ command, args, env, kind }`, or undefined when this machine cannot
 * run it. Windows programs under wine need files, not pipes, for stdin and stdout (see `runWithFiles`).
 * @param {string} target
 * @param {string} binary
 * @returns {Runner | undefined}
 */
export function runnerFor(target, binary) {
  if (target === hostTarget()) return { kind: 'native', command: binary, args: [], env: (extra = {}) => ({ ...process.env, ...extra }) }
  if (target === 'win-x64' && hostTarget() === 'linux-x64') {
    const wine = findWine()
    if (wine === undefined) return undefined
    ensureWinePrefix(wine)
    return { kind: 'wine', command: wine, args: [binary], env: wineEnv }
  }
  if (target === 'linux-arm64') {
    const qemu = findQemuArm64()
    if (qemu === undefined) return undefined
    return { kind: 'qemu', command: qemu, args: ['-L', ARM64_SYSROOT, binary], env: (extra = {}) => ({ ...process.env, ...extra }) }
  }
  return undefined
}

/**
 * Runs a runner with stdin read from `input` and stdout/stderr written to files (wine 8 starts Node's
 * node.exe only then); resolves with `{ status, stdout, stderr }`. Asynchronous, so a server in this process
 * (the tests' emulator) keeps answering meanwhile. The input file is emptied afterwards.
 * @param {Runner} runner
 * @param {string[]} args
 * @param {{ input?: string, workDir: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} options
 */
export async function runWithFiles(runner, args, { input, workDir, env = {}, timeoutMs = 120_000 }) {
  const inFile = join(workDir, 'stdin.txt')
  const outFile = join(workDir, 'stdout.txt')
  const errFile = join(workDir, 'stderr.txt')
  writeFileSync(inFile, input ?? '')
  const fds = [openSync(inFile, 'r'), openSync(outFile, 'w'), openSync(errFile, 'w')]
  try {
    const child = spawn(runner.command, [...runner.args, ...args], { cwd: workDir, env: runner.env(env), stdio: fds })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    const status = await new Promise((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (code, signal) => resolve(code ?? `killed by ${signal}`))
    }).finally(() => clearTimeout(timer))
    return { status, stdout: readFileSync(outFile, 'utf8'), stderr: readFileSync(errFile, 'utf8') }
  } finally {
    for (const fd of fds) closeSync(fd)
    writeFileSync(inFile, '')
  }
}
