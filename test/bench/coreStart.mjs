// The core's own start and per-request time, without PowerShell: spawns the resident core (`--serve`) against the
// local emulator and prints medians of spawn to the `accepted` line, spawn to the envelope, and, in one resident
// core, request line written to envelope read, plus its VmHWM after the warm requests (docs/benchmarks.md,
// "The core's start").
// Usage: node test/bench/coreStart.mjs [exe|node|node22|<executable>|<bundle .mjs/.cjs>] [cold runs] [warm requests] [delay ms]
//   exe: dist/exe/entraauth-linux-x64 (node build/sea/buildExecutables.mjs linux-x64); node: this node with
//   module/bin/entraauth.mjs (npm run build); node22: the pinned node with dist/exe/entraauth.cjs (what the
//   executable runs, without its code cache). delay: how long after the spawn the request line is written.

import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pins } from '../../build/sea/fetchNode.mjs'
import { emulatorEnv, root, startEmulator } from '../../build/tools.mjs'

const [which = 'exe', coldText = '15', warmText = '51', delayText = '0'] = process.argv.slice(2)
const pinnedNode = join(root, '.cache', 'node', pins.version, 'linux-x64', 'package', 'bin', 'node')
/** @type {Record<string, [string, string[]]>} */
const commands = {
  exe: [join(root, 'dist', 'exe', 'entraauth-linux-x64'), []],
  node: [process.execPath, [join(root, 'module', 'bin', 'entraauth.mjs')]],
  // What the executable runs, without its code cache: the pinned node with the CommonJS bundle.
  node22: [pinnedNode, [join(root, 'dist', 'exe', 'entraauth.cjs')]],
}
const command = commands[which] ?? (/\.[cm]js$/.test(which) ? [process.execPath, [which]] : [which, []])
if (!existsSync(command[1][0] ?? command[0]))
  throw new Error(`${command[1][0] ?? command[0]} is missing: build it first`)

const directory = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'directory.json'), 'utf8'))
const tenant = directory.tenants[0]
const app = tenant.apps[0]
/** @param {number} id */
const requestLine = (id) =>
  `${JSON.stringify({
    id,
    protocolVersion: 1,
    flow: 'clientSecret',
    tenantId: tenant.id,
    clientId: app.clientId,
    clientSecret: app.secrets[0].value,
    timeoutSec: 60,
    logLevel: 'info',
  })}\n`

/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** Starts one resident core; `next(id)` resolves when the envelope of request `id` has arrived. */
function startCore(env) {
  const child = spawn(command[0], [...command[1], '--serve', '--idle-sec', '30'], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  let buffer = ''
  /** @type {Map<number, (at: number) => void>} */
  const accepted = new Map()
  /** @type {Map<number, (at: number) => void>} */
  const answered = new Map()
  child.stdout.on('data', (chunk) => {
    const at = performance.now()
    buffer += chunk
    let end
    while ((end = buffer.indexOf('\n')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end))
      buffer = buffer.slice(end + 1)
      if (message.accepted === true) accepted.get(message.id)?.(at)
      if (message.envelope !== undefined) {
        if (message.envelope?.ok !== true) throw new Error(`request ${message.id} failed: ${JSON.stringify(message)}`)
        answered.get(message.id)?.(at)
      }
    }
  })
  const waitFor = (map, id) => new Promise((resolve) => map.set(id, resolve))
  return {
    child,
    accepted: (id) => waitFor(accepted, id),
    answered: (id) => waitFor(answered, id),
    send: (id) => child.stdin.write(requestLine(id)),
    peakKiB: () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]),
    stop: () => new Promise((resolve) => child.once('exit', resolve).stdin.end()),
  }
}

const emulator = await startEmulator()
try {
  const env = emulatorEnv(emulator)
  const firstByte = []
  const envelope = []
  const afterRequest = []
  for (let run = 0; run < Number(coldText); run++) {
    const started = performance.now()
    const core = startCore(env)
    let sentAt = started
    const acceptedAt = core.accepted(1)
    const answeredAt = core.answered(1)
    setTimeout(() => {
      sentAt = performance.now()
      core.send(1)
    }, Number(delayText))
    firstByte.push((await acceptedAt) - started)
    const answered = await answeredAt
    envelope.push(answered - started)
    afterRequest.push(answered - sentAt)
    await core.stop()
  }
  const core = startCore(env)
  const perRequest = []
  for (let id = 1; id <= Number(warmText); id++) {
    const answeredAt = core.answered(id)
    const sent = performance.now()
    core.send(id)
    perRequest.push((await answeredAt) - sent)
  }
  const peak = core.peakKiB()
  await core.stop()
  const ms = (value) => `${value.toFixed(1)} ms`
  process.stdout.write(
    `${which}: spawn to accepted ${ms(median(firstByte))}, spawn to envelope ${ms(median(envelope))}, request to envelope ${ms(median(afterRequest))} (median of ${firstByte.length}, request written ${delayText} ms after the spawn); ` +
      `warm request ${ms(median(perRequest.slice(1)))} (median of ${perRequest.length - 1} after the first ${ms(perRequest[0])}); VmHWM ${(peak / 1024).toFixed(1)} MiB after ${perRequest.length}\n`,
  )
} finally {
  await emulator.stop()
}
