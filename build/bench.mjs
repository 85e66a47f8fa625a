// `npm run bench`: times the seed functions against the packaged module (executable and node + bundle) in pwsh, with
// the floors beside the figures, the stages of the cold path, and a summary of the targets (PASS/MISS).
// Every measure interleaves the implementations (A B C, then B C A, ...) so load on the shared machine hits all alike.
// Each fresh-pwsh variant keeps its own pwsh cache directory (jitProfileEnv below), warmed by one untimed run.
// `--pwsh-r2r` (npm run bench:r2r) also runs the fresh-pwsh measures under a ReadyToRun pwsh (build/bench/pwshR2r.mjs).

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { ensureReadyToRunPwsh } from './bench/pwshR2r.mjs'
import { fetchNodeBinary } from './sea/fetchNode.mjs'
import { hostTarget } from './sea/runners.mjs'
import { emulatorEnv, findPwsh, root, startEmulator } from './tools.mjs'

/** @typedef {import('./tools.mjs').EmulatorInfo} EmulatorInfo */
/** @typedef {'Seed' | 'Executable' | 'Node'} Implementation */
/** @typedef {'Executable' | 'Node'} CoreKind */
/** @typedef {'Installed' | 'ReadyToRun'} PowerShellBuild the installed pwsh (IL only here), or the one built R2R */
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
 * @property {number} jit the JIT's compile time in that process up to the end of the first header
 * @property {number} jitMethods how many methods the JIT compiled by then
 * @property {number} wall the pwsh process from spawn to exit, measured outside it
 */
/**
 * @typedef {object} FreshResults What one implementation measured in fresh pwsh processes, run by run.
 * @property {FirstCall[]} fresh
 * @property {FirstCall[]} afterOutput
 */
/**
 * @typedef {object} Results What one implementation measured, run by run (fresh ones under the installed pwsh).
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
/** @type {PowerShellBuild[]} */
const POWERSHELLS = args.includes('--pwsh-r2r') ? ['Installed', 'ReadyToRun'] : ['Installed']

const pwsh = findPwsh()
/** @type {Record<PowerShellBuild, string>} */
const pwshOf = {
  Installed: pwsh,
  ReadyToRun: POWERSHELLS.includes('ReadyToRun') ? ensureReadyToRunPwsh(pwsh).pwsh : '',
}
const modulePath = join(root, 'dist', 'gallery', 'EntraAuth', 'EntraAuth.psd1')
if (!existsSync(modulePath)) throw new Error(`${modulePath} is missing: run "npm run package" first.`)
const directory = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'directory.json'), 'utf8'))
const app = directory.tenants[0].apps[0]
const tenantId = directory.tenants[0].id
const protocolVersion = JSON.parse(readFileSync(join(root, 'src', 'protocol', 'protocol.json'), 'utf8')).protocolVersion
const packageBin = join(root, 'dist', 'gallery', 'EntraAuth', 'module', 'bin')
/** How the design's floor (test/bench/LeastCall.psm1) starts each core of the package. */
const leastCore = /** @type {Record<CoreKind, string[]>} */ ({
  Executable: [
    '-CoreCommand',
    join(packageBin, `entraauth-${hostTarget()}${hostTarget().startsWith('win') ? '.exe' : ''}`),
  ],
  Node: ['-CoreCommand', process.execPath, '-CoreArguments', `--no-warnings "${join(packageBin, 'entraauth.mjs')}"`],
})

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
 * pwsh keeps a JIT profile of each process's start in its cache directory (XDG_CACHE_HOME/powershell/
 * StartupProfileData-NonInteractive) and pre-compiles what it names at the next start. Interleaved runs would each
 * inherit the profile of another implementation's run (a first header that followed a seed run took 1003 ms, one
 * that followed its own 881 ms, one with none 951 ms; docs/benchmarks.md, session 6). So each variant gets its own
 * directory, as on a machine that runs the same script every time, warmed by one untimed run before the timed ones.
 */
const cacheRoot = mkdtempSync(join(tmpdir(), 'entraauth-bench-'))
/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} variant
 * @returns {NodeJS.ProcessEnv}
 */
const jitProfileEnv = (env, variant) => ({ ...env, XDG_CACHE_HOME: join(cacheRoot, variant) })

/**
 * The first call in a fresh pwsh (import included), with the stages of EntraAuth's cold path (Invoke-FirstCall.ps1).
 * @param {NodeJS.ProcessEnv} env
 * @param {string} freshPwsh
 * @param {Implementation | 'Least'} implementation
 * @param {boolean} afterFirstOutput
 * @param {string[]} [more] further arguments of the script
 * @returns {FirstCall}
 */
function firstCall(env, freshPwsh, implementation, afterFirstOutput, more = []) {
  const script = join(root, 'test', 'bench', 'Invoke-FirstCall.ps1')
  const extra = [...(afterFirstOutput ? ['-AfterFirstOutput'] : []), ...more]
  const started = performance.now()
  const result = spawnSync(
    freshPwsh,
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
  const wall = performance.now() - started
  if (result.status !== 0)
    throw new Error(`the first call of ${implementation} (${freshPwsh}) failed: ${result.stdout}${result.stderr}`)
  return { ...JSON.parse(/** @type {string} */ (result.stdout.trim().split('\n').pop())), wall }
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
/** The fresh runs under the ReadyToRun pwsh (with --pwsh-r2r). */
const readyToRun = /** @type {Record<Implementation, FreshResults>} */ (
  Object.fromEntries(
    IMPLEMENTATIONS.map((name) => [name, /** @type {FreshResults} */ ({ fresh: [], afterOutput: [] })]),
  )
)
/** Each fresh measure of one implementation under one pwsh; interleaved all together. */
const freshCombinations = POWERSHELLS.flatMap((build) =>
  IMPLEMENTATIONS.map((implementation) => ({ build, implementation })),
)
/** @type {{ exeStart: number[], nodeStart: number[], exeTls: number[], nodeTls: number[], least: Record<CoreKind, number[]> }} */
const floors = { exeStart: [], nodeStart: [], exeTls: [], nodeTls: [], least: { Executable: [], Node: [] } }
const pinnedNode = fetchNodeBinary(hostTarget())
const load = [loadavg()[0]]
/**
 * One fresh run of an implementation under one pwsh, in its variant's own JIT profile directory.
 * @param {PowerShellBuild} build
 * @param {Implementation} implementation
 * @param {boolean} afterFirstOutput
 */
const freshRun = (build, implementation, afterFirstOutput) => {
  const variant = `${build}-${implementation}${afterFirstOutput ? '-after-output' : ''}`
  return firstCall(jitProfileEnv(env, variant), pwshOf[build], implementation, afterFirstOutput)
}
/**
 * One fresh run of the design's floor with one core, in its own JIT profile directory.
 * @param {CoreKind} core
 */
const leastRun = (core) =>
  firstCall(jitProfileEnv(env, `Least-${core}`), pwsh, 'Least', false, [
    ...leastCore[core],
    '-ProtocolVersion',
    String(protocolVersion),
  ]).first
/** @type {CoreKind[]} */
const CORES = ['Executable', 'Node']
try {
  // Untimed: each variant's first run writes the JIT profile its timed runs start with.
  for (const { build, implementation } of freshCombinations) {
    freshRun(build, implementation, false)
    freshRun(build, implementation, true)
  }
  for (const core of CORES) leastRun(core)
  for (let run = 0; run < FRESH_RUNS; run++) {
    for (const { build, implementation } of rotated(freshCombinations, run)) {
      const into = build === 'Installed' ? results[implementation] : readyToRun[implementation]
      into.fresh.push(freshRun(build, implementation, false))
      into.afterOutput.push(freshRun(build, implementation, true))
    }
    floors.exeStart.push(bareStart(pinnedNode))
    floors.nodeStart.push(bareStart(process.execPath))
    floors.exeTls.push(bareTls(env, pinnedNode, emulator))
    floors.nodeTls.push(bareTls(env, process.execPath, emulator))
    for (const core of CORES) floors.least[core].push(leastRun(core))
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
  rmSync(cacheRoot, { recursive: true, force: true })
}

/** @typedef {Record<keyof FirstCall | 'importAfterOutput', number>} FreshMedians */
/** @typedef {FreshMedians & Record<WarmMeasure | 'memory', number>} Medians */
/**
 * @param {FreshResults} r
 * @returns {FreshMedians}
 */
const freshMedians = (r) => {
  /** @param {keyof FirstCall} key */
  const stage = (key) => median(r.fresh.map((entry) => entry[key]))
  return {
    pwshStart: stage('pwshStart'),
    import: stage('import'),
    first: stage('first'),
    importAfterOutput: median(r.afterOutput.map((entry) => entry.import)),
    callToSpawn: stage('callToSpawn'),
    spawnToFirstByte: stage('spawnToFirstByte'),
    firstByteToEnvelope: stage('firstByteToEnvelope'),
    afterEnvelope: stage('afterEnvelope'),
    jit: stage('jit'),
    jitMethods: stage('jitMethods'),
    wall: stage('wall'),
  }
}
const m = /** @type {Record<Implementation, Medians>} */ (
  Object.fromEntries(
    IMPLEMENTATIONS.map((name) => {
      const r = results[name]
      return [
        name,
        {
          ...freshMedians(r),
          warm: median(r.warm),
          cached: median(r.cached),
          floor: median(r.floor),
          memory: /** @type {number} */ (r.memory),
        },
      ]
    }),
  )
)
/** @type {Record<Implementation, FreshMedians>} */
const r2r = /** @type {Record<Implementation, FreshMedians>} */ (
  Object.fromEntries(IMPLEMENTATIONS.map((name) => [name, freshMedians(readyToRun[name])]))
)
/**
 * The fresh-pwsh rows of the main table, each ratio against the seed under the same pwsh.
 * @param {Record<Implementation, FreshMedians>} f
 * @returns {string[][]}
 */
const freshRows = (f) =>
  /** @type {[string, 'import' | 'importAfterOutput' | 'first'][]} */ ([
    ['Import-Module, fresh pwsh', 'import'],
    ['Import-Module, after the first output', 'importAfterOutput'],
    ['First header, fresh pwsh (import included)', 'first'],
  ]).map(([title, key]) => [
    title,
    ms(f.Seed[key]),
    ms(f.Executable[key]),
    ratio(f.Executable[key], f.Seed[key]),
    ms(f.Node[key]),
    ratio(f.Node[key], f.Seed[key]),
  ])
/**
 * The stages of the cold path (EntraAuth) beside the seed's import and first call.
 * @param {Record<Implementation, FreshMedians>} f
 * @returns {string[][]}
 */
const stageRows = (f) => [
  [
    'pwsh start (not in the first-header figure)',
    ms(f.Seed.pwshStart),
    ms(f.Executable.pwshStart),
    ms(f.Node.pwshStart),
  ],
  ['Import-Module', ms(f.Seed.import), ms(f.Executable.import), ms(f.Node.import)],
  [
    'Cmdlet begins to core spawn (negative: spawned earlier)',
    '-',
    ms(f.Executable.callToSpawn),
    ms(f.Node.callToSpawn),
  ],
  [
    'Core spawn to its first byte (it read the request)',
    '-',
    ms(f.Executable.spawnToFirstByte),
    ms(f.Node.spawnToFirstByte),
  ],
  [
    'First byte to the envelope (the request)',
    '-',
    ms(f.Executable.firstByteToEnvelope),
    ms(f.Node.firstByteToEnvelope),
  ],
  ['PowerShell work after the envelope', '-', ms(f.Executable.afterEnvelope), ms(f.Node.afterEnvelope)],
  [
    'First call (import excluded)',
    ms(f.Seed.first - f.Seed.import),
    ms(f.Executable.first - f.Executable.import),
    ms(f.Node.first - f.Node.import),
  ],
]
const seed = m.Seed
const nodeVersion = process.version
const out = []
out.push(
  `Medians of ${FRESH_RUNS} fresh pwsh runs (each variant with its own pwsh JIT profile, warmed by one untimed run) and ${WARM_ROUNDS} warm rounds each way, interleaved, against the local emulator over HTTPS.`,
)
out.push(
  `Packaged module ${modulePath}: Executable = its single executable (${hostTarget()}), Node + bundle = node ${nodeVersion} with bin/entraauth.mjs. Load average (1 min) at start / after the fresh runs / at the end: ${load.map((value) => /** @type {number} */ (value).toFixed(2)).join(' / ')}.`,
)
out.push('')
out.push(
  table(
    ['Measure', 'Seed', 'Executable', 'vs seed', 'Node + bundle', 'vs seed'],
    [
      ...freshRows(m),
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
      [
        'First header, fresh pwsh, the least PowerShell of this design (LeastCall.psm1; import included)',
        `${ms(median(floors.least.Executable))} (${ratio(median(floors.least.Executable), m.Seed.first)} seed)`,
        `${ms(median(floors.least.Node))} (${ratio(median(floors.least.Node), m.Seed.first)} seed)`,
      ],
    ],
  ),
)
out.push('')
out.push('The cold path in a fresh pwsh, stage by stage (EntraAuth; the seed: import, then its Invoke-RestMethod):')
out.push(table(['Stage', 'Seed', 'Executable', 'Node + bundle'], stageRows(m)))
out.push('')
/** @param {boolean} pass */
const verdict = (pass) => (pass ? 'PASS' : 'MISS')
/**
 * The targets each core has, for the executable or node + bundle.
 * @param {'Executable' | 'Node'} name
 * @param {string} label
 */
const coreTargets = (name, label) => {
  const r = m[name]
  return [
    [
      `Second identical call <= 0.05x seed (${label})`,
      `${ratio(r.cached, seed.cached)} (${ms(r.cached)})`,
      verdict(r.cached <= 0.05 * seed.cached),
    ],
    [
      `Second identical call <= 2x floor (${label})`,
      `${ratio(r.cached, r.floor)} floor (${ms(r.floor)})`,
      verdict(r.cached <= 2 * r.floor),
    ],
    [
      `New token, warm session <= 1.1x seed (${label})`,
      `${ratio(r.warm, seed.warm)} (${ms(r.warm)} vs ${ms(seed.warm)})`,
      verdict(r.warm <= 1.1 * seed.warm),
    ],
    [`Core peak memory <= 80 MiB (${label})`, `${r.memory.toFixed(1)} MiB`, verdict(r.memory <= 80)],
  ]
}
/**
 * The fresh-pwsh targets, for the executable against the seed under the same pwsh.
 * @param {{ first: number, import: number }} base the seed's medians
 * @param {{ first: number, import: number }} exe the executable's medians
 */
const freshTargets = (base, exe) => [
  [
    'First header, fresh pwsh, executable <= 1.0x seed',
    `${ratio(exe.first, base.first)} (${ms(exe.first)} vs ${ms(base.first)})`,
    verdict(exe.first <= base.first),
  ],
  [
    'Import-Module, fresh pwsh <= 50 ms (executable package)',
    `${ms(exe.import)}, ${ratio(exe.import, base.import)} seed`,
    verdict(exe.import <= 50),
  ],
]
const summary = [
  ...freshTargets(seed, m.Executable),
  ...coreTargets('Executable', 'executable'),
  ...coreTargets('Node', 'node + bundle'),
]
out.push('Summary against the targets of issue 13:')
out.push(table(['Target', 'Figure', 'Result'], summary))
if (POWERSHELLS.includes('ReadyToRun')) {
  out.push('')
  out.push(
    `Under a ReadyToRun PowerShell (${pwshOf.ReadyToRun}, the same pwsh version published ReadyToRun here), interleaved with the fresh runs above; each ratio against the seed under the same pwsh:`,
  )
  out.push(table(['Measure', 'Seed', 'Executable', 'vs seed', 'Node + bundle', 'vs seed'], freshRows(r2r)))
  out.push('')
  out.push('The cold path under the ReadyToRun pwsh, stage by stage:')
  out.push(table(['Stage', 'Seed', 'Executable', 'Node + bundle'], stageRows(r2r)))
  out.push('')
  out.push('Installed pwsh (IL only) -> ReadyToRun pwsh, the same implementation (ReadyToRun / installed):')
  /** @param {keyof FreshMedians} key */
  const change = (key) =>
    IMPLEMENTATIONS.map(
      (name) => `${ms(m[name][key])} -> ${ms(r2r[name][key])} (${ratio(r2r[name][key], m[name][key])})`,
    )
  out.push(
    table(
      ['Measure', 'Seed', 'Executable', 'Node + bundle'],
      [
        ['Import-Module, fresh pwsh', ...change('import')],
        ['Import-Module, after the first output', ...change('importAfterOutput')],
        ['First header, fresh pwsh (import included)', ...change('first')],
        ["pwsh start to the script's first line", ...change('pwshStart')],
        ['Whole pwsh process, spawn to exit (measured outside)', ...change('wall')],
        ['JIT compile time in the process, up to the first header', ...change('jit')],
        [
          'Methods JIT-compiled by then',
          ...IMPLEMENTATIONS.map(
            (name) =>
              `${m[name].jitMethods} -> ${r2r[name].jitMethods} (${ratio(r2r[name].jitMethods, m[name].jitMethods)})`,
          ),
        ],
      ],
    ),
  )
  out.push(
    "(The installed pwsh is a dotnet tool: a shim process that starts 'dotnet pwsh.dll'; its 'pwsh start' counts that second process only, the whole-process row counts both.)",
  )
  out.push('')
  out.push('The fresh-pwsh targets of issue 13 under the ReadyToRun pwsh:')
  out.push(table(['Target', 'Figure', 'Result'], freshTargets(r2r.Seed, r2r.Executable)))
}
process.stdout.write(`${out.join('\n')}\n`)
