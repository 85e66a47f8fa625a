// `npm run bench`: times the seed functions against the packaged module (executable and node + bundle) in pwsh, with
// the floors beside the figures, the stages of the cold path, and a summary of the targets (PASS/MISS).
// Every measure interleaves the implementations (A B C, then B C A, ...) so load on the shared machine hits all alike.

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fetchNodeBinary } from './sea/fetchNode.mjs'
import { hostTarget } from './sea/runners.mjs'
import { emulatorEnv, findPwsh, root, startEmulator } from './tools.mjs'

/** @typedef {import('./tools.mjs').EmulatorInfo} EmulatorInfo */
/** @typedef {'Seed' | 'Executable' | 'Node'} Implementation */
/** @typedef {'warm' | 'cached' | 'floor'} WarmMeasure */
/**
 * @typedef {object} FirstCall One fresh pwsh run of test/bench/Invoke-FirstCall.ps1, its stages in ms.
 * @property {number} pwshStart
 * @property {number} import
 * @property {number} first
 * @property {number} callToSpawn
 * @property {number} spawnToFirstByte
 * @property {number} firstByteToEnvelope
 * @property {number} afterEnvelope
 */
/**
 * @typedef {object} Results What one implementation measured, run by run.
 * @property {FirstCall[]} fresh
 * @property {FirstCall[]} afterOutput
 * @property {number[]} warm
 * @property {number[]} cached
 * @property {number[]} floor
 * @property {number} [memory]
 */
/**
 * @typedef {object} Worker A warm session that answers one measure per command line.
 * @property {(command: string) => Promise<number>} ask
 * @property {() => void} stop
 */

const args = process.argv.slice(2)
/**
 * @param {string} name
 * @param {number} fallback
 */
const option = (name, fallback) => {
  const index = args.indexOf(name)
  return index >= 0 ? Number(args[index + 1]) : fallback
}
const FRESH_RUNS = option('--fresh', 9)
const WARM_ROUNDS = option('--warm', 25)
/** @type {Implementation[]} */
const IMPLEMENTATIONS = ['Seed', 'Executable', 'Node']

const pwsh = findPwsh()
const modulePath = join(root, 'dist', 'gallery', 'EntraAuth', 'EntraAuth.psd1')
if (!existsSync(modulePath)) throw new Error(`${modulePath} is missing: run "npm run package" first.`)
const directory = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'directory.json'), 'utf8'))
const app = directory.tenants[0].apps[0]
const tenantId = directory.tenants[0].id

/** @param {number[]} values */
const median = (values) => {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const middle = Math.floor(sorted.length / 2)
  const upper = /** @type {number} */ (sorted[middle])
  const lower = /** @type {number} */ (sorted[middle - 1])
  return sorted.length % 2 ? upper : (lower + upper) / 2
}
/**
 * @template T
 * @param {T[]} list
 * @param {number} by
 * @returns {T[]}
 */
const rotated = (list, by) => list.map((_, index) => /** @type {T} */ (list[(index + by) % list.length]))
/** @param {number} value */
const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(value < 1 ? 3 : 1)} ms` : 'n/a')
/**
 * @param {number} value
 * @param {number} base
 */
const ratio = (value, base) => `${(value / base).toFixed(2)}x`
/**
 * @param {string[]} header
 * @param {string[][]} rows
 */
const table = (header, rows) => {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => String(row[column]).length)))
  /** @param {string[]} cells */
  const line = (cells) =>
    cells.map((cell, column) => String(cell).padEnd(/** @type {number} */ (widths[column]))).join('  ')
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')
}

/**
 * The first call in a fresh pwsh (import included), with the stages of EntraAuth's cold path (Invoke-FirstCall.ps1).
 * @param {NodeJS.ProcessEnv} env
 * @param {Implementation} implementation
 * @param {boolean} afterFirstOutput
 * @returns {FirstCall}
 */
function firstCall(env, implementation, afterFirstOutput) {
  const script = join(root, 'test', 'bench', 'Invoke-FirstCall.ps1')
  const extra = afterFirstOutput ? ['-AfterFirstOutput'] : []
  const result = spawnSync(
    pwsh,
    [
      '-NoProfile',
      '-NonInteractive',
      '-File',
      script,
      '-Implementation',
      implementation,
      '-ModulePath',
      modulePath,
      ...extra,
    ],
    { env, encoding: 'utf8' },
  )
  if (result.status !== 0)
    throw new Error(`the first call of ${implementation} failed: ${result.stdout}${result.stderr}`)
  return JSON.parse(/** @type {string} */ (result.stdout.trim().split('\n').pop()))
}

/**
 * A bare start of a Node binary (no script), in ms from spawn to exit.
 * @param {string} node
 */
function bareStart(node) {
  const started = performance.now()
  const result = spawnSync(node, ['-e', '0'], { stdio: 'ignore' })
  if (result.status !== 0) throw new Error(`${node} -e 0 failed`)
  return performance.now() - started
}

/**
 * One token request over a new TLS connection from a bare process of that Node binary (its start not counted).
 * @param {NodeJS.ProcessEnv} env
 * @param {string} node
 * @param {EmulatorInfo} emulator
 */
function bareTls(env, node, emulator) {
  const result = spawnSync(
    node,
    [join(root, 'test', 'bench', 'tlsRequest.mjs'), `${emulator.url}/${tenantId}/oauth2/v2.0/token`, app.clientId],
    { env, input: app.secrets[0].value, encoding: 'utf8' },
  )
  if (result.status !== 0) throw new Error(`the bare TLS request failed: ${result.stderr}`)
  return Number(result.stdout.trim())
}

/**
 * A warm session (BenchWorker.ps1) that answers one measure per command line.
 * @param {NodeJS.ProcessEnv} env
 * @param {Implementation} implementation
 * @returns {Promise<Worker>}
 */
async function startWorker(env, implementation) {
  const child = spawn(
    pwsh,
    [
      '-NoProfile',
      '-NonInteractive',
      '-File',
      join(root, 'test', 'bench', 'BenchWorker.ps1'),
      '-Implementation',
      implementation,
      '-ModulePath',
      modulePath,
    ],
    { env, stdio: ['pipe', 'pipe', 'inherit'] },
  )
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async () => {
    const { value, done } = await lines.next()
    if (done) throw new Error(`the ${implementation} worker ended`)
    return value
  }
  const ready = await next()
  if (ready !== 'ready') throw new Error(`the ${implementation} worker said '${ready}'`)
  return {
    async ask(command) {
      child.stdin.write(`${command}\n`)
      return Number(await next())
    },
    stop() {
      child.stdin.end('quit\n')
    },
  }
}

const emulator = await startEmulator()
const env = emulatorEnv(emulator)
const results = /** @type {Record<Implementation, Results>} */ (
  Object.fromEntries(
    IMPLEMENTATIONS.map((name) => [
      name,
      /** @type {Results} */ ({ fresh: [], afterOutput: [], warm: [], cached: [], floor: [] }),
    ]),
  )
)
/** @type {{ exeStart: number[], nodeStart: number[], exeTls: number[], nodeTls: number[] }} */
const floors = { exeStart: [], nodeStart: [], exeTls: [], nodeTls: [] }
const pinnedNode = fetchNodeBinary(hostTarget())
const load = [loadavg()[0]]
try {
  for (let run = 0; run < FRESH_RUNS; run++) {
    for (const implementation of rotated(IMPLEMENTATIONS, run)) {
      results[implementation].fresh.push(firstCall(env, implementation, false))
      results[implementation].afterOutput.push(firstCall(env, implementation, true))
    }
    floors.exeStart.push(bareStart(pinnedNode))
    floors.nodeStart.push(bareStart(process.execPath))
    floors.exeTls.push(bareTls(env, pinnedNode, emulator))
    floors.nodeTls.push(bareTls(env, process.execPath, emulator))
  }
  load.push(loadavg()[0])
  /** @type {Partial<Record<Implementation, Worker>>} */
  const workers = {}
  for (const implementation of IMPLEMENTATIONS) workers[implementation] = await startWorker(env, implementation)
  for (let round = 0; round < WARM_ROUNDS; round++) {
    for (const measure of /** @type {WarmMeasure[]} */ (['warm', 'cached', 'floor'])) {
      for (const implementation of rotated(IMPLEMENTATIONS, round))
        results[implementation][measure].push(await /** @type {Worker} */ (workers[implementation]).ask(measure))
    }
  }
  // The peak is read once each core has served 51 requests, as the issue counts them.
  for (let call = WARM_ROUNDS + 1; call < 51; call++) {
    for (const implementation of IMPLEMENTATIONS) await /** @type {Worker} */ (workers[implementation]).ask('warm')
  }
  for (const implementation of IMPLEMENTATIONS) {
    const worker = /** @type {Worker} */ (workers[implementation])
    results[implementation].memory = await worker.ask('memory')
    worker.stop()
  }
  load.push(loadavg()[0])
} finally {
  await emulator.stop()
}

/** @typedef {Record<keyof FirstCall | 'importAfterOutput' | WarmMeasure | 'memory', number>} Medians */
const m = /** @type {Record<Implementation, Medians>} */ (
  Object.fromEntries(
    IMPLEMENTATIONS.map((name) => {
      const r = results[name]
      /** @param {keyof FirstCall} key */
      const stage = (key) => median(r.fresh.map((entry) => entry[key]))
      return [
        name,
        {
          pwshStart: stage('pwshStart'),
          import: stage('import'),
          first: stage('first'),
          importAfterOutput: median(r.afterOutput.map((entry) => entry.import)),
          callToSpawn: stage('callToSpawn'),
          spawnToFirstByte: stage('spawnToFirstByte'),
          firstByteToEnvelope: stage('firstByteToEnvelope'),
          afterEnvelope: stage('afterEnvelope'),
          warm: median(r.warm),
          cached: median(r.cached),
          floor: median(r.floor),
          memory: /** @type {number} */ (r.memory),
        },
      ]
    }),
  )
)
const seed = m.Seed
const nodeVersion = process.version
const out = []
out.push(
  `Medians of ${FRESH_RUNS} fresh pwsh runs and ${WARM_ROUNDS} warm rounds each way, interleaved, against the local emulator over HTTPS.`,
)
out.push(
  `Packaged module ${modulePath}: Executable = its single executable (${hostTarget()}), Node + bundle = node ${nodeVersion} with bin/entraauth.mjs. Load average (1 min) at start / after the fresh runs / at the end: ${load.map((value) => /** @type {number} */ (value).toFixed(2)).join(' / ')}.`,
)
out.push('')
out.push(
  table(
    ['Measure', 'Seed', 'Executable', 'vs seed', 'Node + bundle', 'vs seed'],
    [
      [
        'Import-Module, fresh pwsh',
        ms(seed.import),
        ms(m.Executable.import),
        ratio(m.Executable.import, seed.import),
        ms(m.Node.import),
        ratio(m.Node.import, seed.import),
      ],
      [
        'Import-Module, after the first output',
        ms(seed.importAfterOutput),
        ms(m.Executable.importAfterOutput),
        ratio(m.Executable.importAfterOutput, seed.importAfterOutput),
        ms(m.Node.importAfterOutput),
        ratio(m.Node.importAfterOutput, seed.importAfterOutput),
      ],
      [
        'First header, fresh pwsh (import included)',
        ms(seed.first),
        ms(m.Executable.first),
        ratio(m.Executable.first, seed.first),
        ms(m.Node.first),
        ratio(m.Node.first, seed.first),
      ],
      [
        'New header, warm session (EntraAuth -Force)',
        ms(seed.warm),
        ms(m.Executable.warm),
        ratio(m.Executable.warm, seed.warm),
        ms(m.Node.warm),
        ratio(m.Node.warm, seed.warm),
      ],
      [
        'Second identical call (EntraAuth: cache)',
        ms(seed.cached),
        ms(m.Executable.cached),
        ratio(m.Executable.cached, seed.cached),
        ms(m.Node.cached),
        ratio(m.Node.cached, seed.cached),
      ],
      [
        'Core peak memory after 51 requests (VmHWM)',
        '-',
        `${m.Executable.memory.toFixed(1)} MiB`,
        '',
        `${m.Node.memory.toFixed(1)} MiB`,
        '',
      ],
    ],
  ),
)
out.push('')
out.push('Floors (what no implementation can go under):')
out.push(
  table(
    ['Floor', 'Executable', 'Node + bundle'],
    [
      ["Empty advanced function, the cmdlet's parameter block", ms(m.Executable.floor), ms(m.Node.floor)],
      ['Bare start of the same Node binary (node -e 0)', ms(median(floors.exeStart)), ms(median(floors.nodeStart))],
      [
        'Bare TLS request from it (new connection, start not counted)',
        ms(median(floors.exeTls)),
        ms(median(floors.nodeTls)),
      ],
      ["pwsh start to the script's first line (fresh pwsh)", ms(m.Executable.pwshStart), ms(m.Node.pwshStart)],
    ],
  ),
)
out.push('')
out.push('The cold path in a fresh pwsh, stage by stage (EntraAuth; the seed: import, then its Invoke-RestMethod):')
out.push(
  table(
    ['Stage', 'Seed', 'Executable', 'Node + bundle'],
    [
      [
        'pwsh start (not in the first-header figure)',
        ms(seed.pwshStart),
        ms(m.Executable.pwshStart),
        ms(m.Node.pwshStart),
      ],
      ['Import-Module', ms(seed.import), ms(m.Executable.import), ms(m.Node.import)],
      [
        'Cmdlet begins to core spawn (negative: spawned earlier)',
        '-',
        ms(m.Executable.callToSpawn),
        ms(m.Node.callToSpawn),
      ],
      [
        'Core spawn to its first byte (it read the request)',
        '-',
        ms(m.Executable.spawnToFirstByte),
        ms(m.Node.spawnToFirstByte),
      ],
      [
        'First byte to the envelope (the request)',
        '-',
        ms(m.Executable.firstByteToEnvelope),
        ms(m.Node.firstByteToEnvelope),
      ],
      ['PowerShell work after the envelope', '-', ms(m.Executable.afterEnvelope), ms(m.Node.afterEnvelope)],
      [
        'First call (import excluded)',
        ms(seed.first - seed.import),
        ms(m.Executable.first - m.Executable.import),
        ms(m.Node.first - m.Node.import),
      ],
    ],
  ),
)
out.push('')
/** @param {boolean} pass */
const verdict = (pass) => (pass ? 'PASS' : 'MISS')
const summary = [
  [
    'First header, fresh pwsh, executable <= 1.0x seed',
    `${ratio(m.Executable.first, seed.first)} (${ms(m.Executable.first)} vs ${ms(seed.first)})`,
    verdict(m.Executable.first <= seed.first),
  ],
  [
    'Import-Module, fresh pwsh <= 50 ms (executable package)',
    `${ms(m.Executable.import)}, ${ratio(m.Executable.import, seed.import)} seed`,
    verdict(m.Executable.import <= 50),
  ],
  [
    'Second identical call <= 0.05x seed (executable)',
    `${ratio(m.Executable.cached, seed.cached)} (${ms(m.Executable.cached)})`,
    verdict(m.Executable.cached <= 0.05 * seed.cached),
  ],
  [
    'Second identical call <= 2x floor (executable)',
    `${ratio(m.Executable.cached, m.Executable.floor)} floor (${ms(m.Executable.floor)})`,
    verdict(m.Executable.cached <= 2 * m.Executable.floor),
  ],
  [
    'Second identical call <= 0.05x seed (node)',
    `${ratio(m.Node.cached, seed.cached)} (${ms(m.Node.cached)})`,
    verdict(m.Node.cached <= 0.05 * seed.cached),
  ],
  [
    'Second identical call <= 2x floor (node)',
    `${ratio(m.Node.cached, m.Node.floor)} floor (${ms(m.Node.floor)})`,
    verdict(m.Node.cached <= 2 * m.Node.floor),
  ],
  [
    'New token, warm session <= 1.1x seed (executable)',
    `${ratio(m.Executable.warm, seed.warm)} (${ms(m.Executable.warm)} vs ${ms(seed.warm)})`,
    verdict(m.Executable.warm <= 1.1 * seed.warm),
  ],
  [
    'New token, warm session <= 1.1x seed (node)',
    `${ratio(m.Node.warm, seed.warm)} (${ms(m.Node.warm)})`,
    verdict(m.Node.warm <= 1.1 * seed.warm),
  ],
  [
    'Core peak memory <= 80 MiB (executable)',
    `${m.Executable.memory.toFixed(1)} MiB`,
    verdict(m.Executable.memory <= 80),
  ],
  ['Core peak memory <= 80 MiB (node + bundle)', `${m.Node.memory.toFixed(1)} MiB`, verdict(m.Node.memory <= 80)],
]
out.push('Summary against the targets of issue 13:')
out.push(table(['Target', 'Figure', 'Result'], summary))
process.stdout.write(`${out.join('\n')}\n`)
