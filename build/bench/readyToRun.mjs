// Tells whether a .NET assembly carries ReadyToRun code: its CLI header's ManagedNativeHeader directory is set
// (crossgen2 points it at the READYTORUN header) or zero (IL only, every method is compiled by the JIT at first use).
// `node build/bench/readyToRun.mjs <file.dll>...` prints one line per file; exit 1 if one is not a .NET assembly.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const CLI_HEADER_DIRECTORY = 14
const MANAGED_NATIVE_HEADER_OFFSET = 64
const READY_TO_RUN_SIGNATURE = 0x00525452 // 'RTR'

/**
 * @param {Buffer} image
 * @param {number} rva
 * @param {number} sections file offset of the section table
 * @param {number} count
 */
function fileOffset(image, rva, sections, count) {
  for (let index = 0; index < count; index++) {
    const entry = sections + index * 40
    const size = image.readUInt32LE(entry + 8)
    const address = image.readUInt32LE(entry + 12)
    if (rva >= address && rva < address + size) return rva - address + image.readUInt32LE(entry + 20)
  }
  throw new Error(`RVA 0x${rva.toString(16)} is in no section`)
}

/**
 * What kind of code a .NET assembly holds.
 * @param {string} path
 * @returns {'ReadyToRun' | 'IL only'}
 * @throws {Error} when the file is not a PE image with a CLI header
 */
export function assemblyCode(path) {
  const image = readFileSync(path)
  if (image.length < 64 || image.toString('latin1', 0, 2) !== 'MZ') throw new Error(`${path} is not a PE image`)
  const pe = image.readUInt32LE(0x3c)
  if (image.toString('latin1', pe, pe + 4) !== 'PE\0\0') throw new Error(`${path} has no PE signature`)
  const coff = pe + 4
  const sectionCount = image.readUInt16LE(coff + 2)
  const optional = coff + 20
  const optionalSize = image.readUInt16LE(coff + 16)
  const magic = image.readUInt16LE(optional)
  const directories = optional + (magic === 0x20b ? 112 : 96)
  const cli = directories + CLI_HEADER_DIRECTORY * 8
  const cliRva = image.readUInt32LE(cli)
  if (cliRva === 0) throw new Error(`${path} is not a .NET assembly (no CLI header)`)
  const sections = optional + optionalSize
  const header = fileOffset(image, cliRva, sections, sectionCount)
  const nativeRva = image.readUInt32LE(header + MANAGED_NATIVE_HEADER_OFFSET)
  const nativeSize = image.readUInt32LE(header + MANAGED_NATIVE_HEADER_OFFSET + 4)
  if (nativeRva === 0 || nativeSize === 0) return 'IL only'
  const signature = image.readUInt32LE(fileOffset(image, nativeRva, sections, sectionCount))
  if (signature !== READY_TO_RUN_SIGNATURE)
    throw new Error(`${path} has a ManagedNativeHeader that is not ReadyToRun (signature 0x${signature.toString(16)})`)
  return 'ReadyToRun'
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let failed = false
  for (const path of process.argv.slice(2)) {
    try {
      process.stdout.write(`${assemblyCode(path)}\t${path}\n`)
    } catch (error) {
      failed = true
      process.stderr.write(`${/** @type {Error} */ (error).message}\n`)
    }
  }
  process.exitCode = failed ? 1 : 0
}
