// The built single executables: valid PE/ELF files for their target, the SEA blob injected, the fuse flipped.

import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { findElfNote, findPeResource, readElf, readPe, readSeaBlobHeader } from '../../build/sea/binaryFormats.mjs'
import { pins, TARGETS } from '../../build/sea/fetchNode.mjs'
import { checkCodeCacheRunners } from '../../build/sea/buildExecutables.mjs'
import { codeCacheTargets } from '../../build/sea/runners.mjs'

const root = fileURLToPath(new URL('../..', import.meta.url))
const exeDir = join(root, 'dist', 'exe')
const manifestFile = join(exeDir, 'manifest.json')
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'
const RT_RCDATA = 10

function manifest(): { nodeVersion: string; targets: Record<string, { file: string; codeCache: boolean; sha256: string }> } {
  if (!existsSync(manifestFile)) throw new Error('dist/exe/manifest.json is missing: run "npm run package" first')
  return JSON.parse(readFileSync(manifestFile, 'utf8'))
}

/** The SEA blob inside an executable: the RT_RCDATA resource of a PE file, the ELF note on Linux. */
function seaBlob(target: string, data: Buffer): Buffer | undefined {
  return target.startsWith('win-') ? findPeResource(data, RT_RCDATA, 'NODE_SEA_BLOB') : findElfNote(data, 'NODE_SEA_BLOB')
}

/** A target whose own node this kind of build machine runs has its code cache, whatever is installed right now. */
function codeCacheExpected(target: string): boolean {
  return codeCacheTargets().includes(target)
}

const galleryBin = join(root, 'dist', 'gallery', 'EntraAuth', 'module', 'bin')

describe('single executables', () => {
  it('exist for every pinned target, built from the pinned Node version', () => {
    const built = manifest()
    expect(built.nodeVersion).toBe(pins.version)
    expect(Object.keys(built.targets).sort()).toEqual([...TARGETS].sort())
    for (const entry of Object.values(built.targets)) expect(existsSync(join(exeDir, entry.file))).toBe(true)
  })

  it.each(TARGETS)('%s carries the SEA blob of the core, with its fuse flipped', (target) => {
    const entry = manifest().targets[target]!
    const data = readFileSync(join(exeDir, entry.file))
    const arch = target.split('-')[1]
    if (target.startsWith('win-')) {
      const pe = readPe(data)
      expect(pe.machine).toBe(arch)
      expect(pe.subsystem).toBe(3) // console
      expect(pe.directory(4).size).toBe(0) // Node's signature removed, not left broken
    } else {
      expect(readElf(data).machine).toBe(arch)
    }
    const blob = seaBlob(target, data)
    expect(blob, 'NODE_SEA_BLOB').toBeDefined()
    const header = readSeaBlobHeader(blob!)
    expect(header.warningDisabled).toBe(true)
    expect(header.codeCache).toBe(entry.codeCache)
    expect(entry.codeCache).toBe(codeCacheExpected(target))
    // The blob holds the CommonJS bundle of the core that this build made.
    const bundle = readFileSync(join(exeDir, 'entraauth.cjs'))
    expect(blob!.includes(bundle.subarray(0, 4096))).toBe(true)
    expect(data.includes(`${FUSE}:1`)).toBe(true)
    expect(data.includes(`${FUSE}:0`)).toBe(false)
  })

  it('the same checks fail on the plain Node binaries (so they prove something)', () => {
    for (const target of ['win-x64', 'linux-x64']) {
      const pin = pins.targets[target]!
      const plain = join(root, '.cache', 'node', pins.version, target, pin.binary)
      const data = readFileSync(plain)
      expect(seaBlob(target, data)).toBeUndefined()
      expect(data.includes(`${FUSE}:0`)).toBe(true)
      expect(data.includes(`${FUSE}:1`)).toBe(false)
    }
    expect(() => readPe(readFileSync(join(exeDir, 'entraauth-linux-x64')))).toThrow(/not a PE file/)
  })
})

describe('the code cache policy', () => {
  it('refuses, before any work, a target whose runner is missing, naming the set-up and the option', () => {
    const canRun = (target: string) => target !== 'win-x64'
    expect(() => checkCodeCacheRunners(['linux-x64', 'win-x64'], { canRun })).toThrow(/win-x64 would be built without V8's code cache.*setup-machine\.sh.*--allow-no-code-cache/)
    expect(checkCodeCacheRunners(['linux-x64', 'win-x64'], { canRun, allowNoCodeCache: true })).toEqual(['win-x64'])
    expect(checkCodeCacheRunners(['linux-x64', 'win-x64', 'win-arm64'], { canRun: () => true })).toEqual([])
    // win-arm64 has no runner on any machine here: it is never expected to have a code cache.
    expect(checkCodeCacheRunners(['win-arm64'], { canRun: () => false })).toEqual([])
  })

  it('the packaged module records how each of its executables was built, and the record is true', () => {
    const record = JSON.parse(readFileSync(join(galleryBin, 'executables.json'), 'utf8')) as { nodeVersion: string; targets: Record<string, { file: string; sha256: string; codeCache: boolean }> }
    expect(record.nodeVersion).toBe(pins.version)
    expect(Object.keys(record.targets).sort()).toEqual([...TARGETS].sort())
    for (const [target, entry] of Object.entries(record.targets)) {
      const data = readFileSync(join(galleryBin, entry.file))
      expect(createHash('sha256').update(data).digest('hex'), entry.file).toBe(entry.sha256)
      expect(entry.codeCache, `${target} code cache`).toBe(codeCacheExpected(target))
      expect(readSeaBlobHeader(seaBlob(target, data)!).codeCache, `${target} blob header`).toBe(entry.codeCache)
    }
    expect(record.targets['win-x64']!.codeCache).toBe(true)
  })
})
