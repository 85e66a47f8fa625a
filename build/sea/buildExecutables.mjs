// Builds the single executables (Node SEA) of the core for every pinned target into dist/exe/.

import { build } from 'esbuild'
import { createHash } from 'node:crypto'
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import postject from 'postject'
import { stripPeSignature } from './binaryFormats.mjs'
import { lazyUndici } from '../lazyUndici.mjs'
import { fetchNodeBinary, pins, TARGETS } from './fetchNode.mjs'
import { codeCacheTargets, hostTarget, runnerFor, runWithFiles } from './runners.mjs'

const root = fileURLToPath(new URL('../..', import.meta.url))
export const EXE_DIR = join(root, 'dist', 'exe')
/** Node's sentinel: postject flips its last byte to 1, which tells node it carries a SEA blob. */
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'
/** Bump when the steps below change, so cached executables are rebuilt. */
const RECIPE = 2
/** The option that lets a build ship an executable without the code cache its target could have. */
export const ALLOW_NO_CODE_CACHE = '--allow-no-code-cache'

/**
 * @typedef {object} ExecutableEntry One built executable, as dist/exe/manifest.json records it.
 * @property {string} file
 * @property {number} bytes
 * @property {string} sha256
 * @property {boolean} codeCache
 * @property {string} builtBy
 * @property {string} key
 */
/**
 * @typedef {object} ExecutablesManifest
 * @property {string} nodeVersion
 * @property {string[]} codeCacheTargets
 * @property {Record<string, ExecutableEntry>} targets
 */

/**
 * File name of a target's executable: entraauth-linux-x64, entraauth-win-x64.exe, …
 * @param {string} target
 */
export function executableName(target) {
  return `entraauth-${target}${target.startsWith('win-') ? '.exe' : ''}`
}

/** @param {import('node:crypto').BinaryLike} data */
function sha256(data) {
  return createHash('sha256').update(data).digest('hex')
}

/**
 * The core as one CommonJS file: Node 22's SEA runs CommonJS only, and require() there reaches built-ins only.
 * @param {string} file
 */
async function bundleCommonJs(file) {
  await build({
    absWorkingDir: root,
    entryPoints: ['src/main.ts'],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${pins.version.split('.')[0]}`,
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [lazyUndici],
  })
}

/**
 * Writes the SEA preparation blob for a target. With code cache where this machine can run the target's own
 * node (natively, wine, qemu): V8's code cache only loads on the platform that made it. Elsewhere the pinned
 * host node writes a blob without code cache, which any platform of the same Node version accepts.
 * @param {string} target
 * @param {string} node the target's pinned node binary
 * @param {string} bundle
 * @param {string} work
 */
async function prepareBlob(target, node, bundle, work) {
  const own = runnerFor(target, node)
  // fetchNodeBinary names the pinned targets when this machine is none of them.
  const runner = own ?? runnerFor(hostTarget(), fetchNodeBinary(hostTarget()))
  if (runner === undefined)
    throw new Error(`${target}: this machine (${hostTarget()}) cannot run its own pinned node to write the SEA blob.`)
  const codeCache = own !== undefined
  copyFileSync(bundle, join(work, 'entraauth.cjs'))
  const config = {
    main: 'entraauth.cjs',
    output: 'sea-prep.blob',
    disableExperimentalSEAWarning: true,
    useCodeCache: codeCache,
    useSnapshot: false,
  }
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify(config))
  const result = await runWithFiles(runner, ['--experimental-sea-config', 'sea-config.json'], {
    input: '',
    workDir: work,
  })
  const blob = join(work, 'sea-prep.blob')
  if (result.status !== 0 || !existsSync(blob))
    throw new Error(
      `${target}: node (${runner.kind}) could not write the SEA blob (exit ${result.status}): ${result.stderr}${result.stdout}`,
    )
  return {
    blob: readFileSync(blob),
    codeCache,
    builtBy: codeCache ? runner.kind : `${hostTarget()} node, no code cache`,
  }
}

/**
 * Refuses to build, before any work, a target that this machine's kind builds with a code cache while its runner
 * is missing here: without it the executable would quietly start slower than the one measured.
 * @param {string[]} targets
 * @param {{ allowNoCodeCache?: boolean, canRun?: (target: string) => boolean }} [options]
 * @throws Error naming the targets, the runner to install and the option that accepts the slower build
 */
export function checkCodeCacheRunners(
  targets,
  { allowNoCodeCache = false, canRun = (target) => runnerFor(target, fetchNodeBinary(target)) !== undefined } = {},
) {
  const missing = targets.filter((target) => codeCacheTargets().includes(target) && !canRun(target))
  if (missing.length === 0) return []
  const message = `${missing.join(', ')} would be built without V8's code cache: this machine cannot run ${missing.length === 1 ? 'its' : 'their'} own node (win-x64 needs wine, linux-arm64 qemu-user). Run "bash build/setup-machine.sh", or build anyway with "npm run package -- ${ALLOW_NO_CODE_CACHE}".`
  if (!allowNoCodeCache) throw new Error(message)
  process.stderr.write(`Warning: ${message}\n`)
  return missing
}

/**
 * Builds every target (or `targets`) and writes dist/exe/manifest.json. A target whose inputs (bundle, pinned
 * binary, code cache or not) are unchanged since the last build is kept as it is.
 * @param {string[]} [targets]
 * @param {{ allowNoCodeCache?: boolean }} [options] `allowNoCodeCache`: build a target without its expected code cache instead of failing
 * @returns {Promise<ExecutablesManifest>} the manifest: `{ nodeVersion, targets: { [target]: { file, bytes, sha256, codeCache, builtBy } } }`
 */
export async function buildExecutables(targets = TARGETS, { allowNoCodeCache = false } = {}) {
  checkCodeCacheRunners(targets, { allowNoCodeCache })
  mkdirSync(EXE_DIR, { recursive: true })
  const bundle = join(EXE_DIR, 'entraauth.cjs')
  await bundleCommonJs(bundle)
  const bundleHash = sha256(readFileSync(bundle))
  const manifestFile = join(EXE_DIR, 'manifest.json')
  /** @type {Partial<ExecutablesManifest>} */
  const previous = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : { targets: {} }
  /** @type {ExecutablesManifest} */
  const manifest = {
    nodeVersion: pins.version,
    codeCacheTargets: codeCacheTargets().filter((target) => targets.includes(target)),
    targets: {},
  }

  for (const target of targets) {
    const node = fetchNodeBinary(target)
    const file = join(EXE_DIR, executableName(target))
    const canCache = runnerFor(target, node) !== undefined
    const key = sha256(`${RECIPE} ${bundleHash} ${pins.targets[target]?.integrity} ${canCache}`)
    const old = previous.targets?.[target]
    if (old?.key === key && existsSync(file) && sha256(readFileSync(file)) === old.sha256) {
      manifest.targets[target] = old
      continue
    }
    const work = join(EXE_DIR, 'work', target)
    rmSync(work, { recursive: true, force: true })
    mkdirSync(work, { recursive: true })
    const { blob, codeCache, builtBy } = await prepareBlob(target, node, bundle, work)
    process.stderr.write(
      `Building ${executableName(target)} (Node ${pins.version}, code cache ${codeCache ? 'on' : 'off'}, blob by ${builtBy}) …\n`,
    )
    rmSync(file, { force: true })
    // Node's Authenticode signature would not match the injected file: leave the Windows file unsigned instead.
    writeFileSync(file, target.startsWith('win-') ? stripPeSignature(readFileSync(node)) : readFileSync(node))
    chmodSync(file, 0o755)
    await postject.inject(file, 'NODE_SEA_BLOB', blob, { sentinelFuse: SEA_FUSE })
    rmSync(work, { recursive: true, force: true })
    const data = readFileSync(file)
    manifest.targets[target] = {
      file: executableName(target),
      bytes: data.length,
      sha256: sha256(data),
      codeCache,
      builtBy,
      key,
    }
  }
  rmSync(join(EXE_DIR, 'work'), { recursive: true, force: true })
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const named = args.filter((arg) => arg !== ALLOW_NO_CODE_CACHE)
  const manifest = await buildExecutables(named.length > 0 ? named : TARGETS, {
    allowNoCodeCache: args.includes(ALLOW_NO_CODE_CACHE),
  })
  for (const [target, entry] of Object.entries(manifest.targets))
    process.stdout.write(
      `${target}: ${entry.file} ${(entry.bytes / 1048576).toFixed(1)} MiB, code cache ${entry.codeCache ? 'on' : 'off'}\n`,
    )
}
