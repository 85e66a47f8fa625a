// build/bench/readyToRun.mjs, the check that tells an IL-only .NET assembly from a ReadyToRun one, on PE images made
// here (the same layout crossgen2 writes: a CLI header whose ManagedNativeHeader points at an 'RTR' header).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { assemblyCode } from '../../../build/bench/readyToRun.mjs'

const folder = mkdtempSync(join(tmpdir(), 'entraauth-r2r-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const SECTION_RVA = 0x2000
const SECTION_FILE = 0x200
const NATIVE_RVA = 0x2100

/** A PE32+ image with one section holding the CLI header, and where asked a native header of that signature. */
function peImage(name: string, options: { cli?: boolean; nativeSignature?: number | null; pe32?: boolean }): string {
  const { cli = true, nativeSignature = null, pe32 = false } = options
  const image = Buffer.alloc(0x400)
  image.write('MZ', 0, 'latin1')
  image.writeUInt32LE(0x40, 0x3c)
  image.write('PE\0\0', 0x40, 'latin1')
  const coff = 0x44
  image.writeUInt16LE(1, coff + 2)
  const optionalSize = pe32 ? 96 + 16 * 8 : 112 + 16 * 8
  image.writeUInt16LE(optionalSize, coff + 16)
  const optional = coff + 20
  image.writeUInt16LE(pe32 ? 0x10b : 0x20b, optional)
  const cliDirectory = optional + (pe32 ? 96 : 112) + 14 * 8
  if (cli) image.writeUInt32LE(SECTION_RVA, cliDirectory)
  image.writeUInt32LE(72, cliDirectory + 4)
  const section = optional + optionalSize
  image.write('.text', section, 'latin1')
  image.writeUInt32LE(0x1000, section + 8)
  image.writeUInt32LE(SECTION_RVA, section + 12)
  image.writeUInt32LE(0x200, section + 16)
  image.writeUInt32LE(SECTION_FILE, section + 20)
  image.writeUInt32LE(72, SECTION_FILE)
  if (nativeSignature !== null) {
    image.writeUInt32LE(NATIVE_RVA, SECTION_FILE + 64)
    image.writeUInt32LE(0x40, SECTION_FILE + 68)
    image.writeUInt32LE(nativeSignature, SECTION_FILE + (NATIVE_RVA - SECTION_RVA))
  }
  const path = join(folder, name)
  writeFileSync(path, image)
  return path
}

describe('assemblyCode', () => {
  it('tells a ReadyToRun assembly by its RTR native header, in PE32+ and PE32 images', () => {
    expect(assemblyCode(peImage('r2r.dll', { nativeSignature: 0x00525452 }))).toBe('ReadyToRun')
    expect(assemblyCode(peImage('r2r32.dll', { nativeSignature: 0x00525452, pe32: true }))).toBe('ReadyToRun')
  })

  it('tells an IL-only assembly by its empty ManagedNativeHeader', () => {
    expect(assemblyCode(peImage('il.dll', {}))).toBe('IL only')
    expect(assemblyCode(peImage('il32.dll', { pe32: true }))).toBe('IL only')
  })

  it('refuses a native header that is not ReadyToRun, a PE without a CLI header, and a file that is no PE', () => {
    expect(() => assemblyCode(peImage('other.dll', { nativeSignature: 0x12345678 }))).toThrow(/not ReadyToRun/)
    expect(() => assemblyCode(peImage('native.dll', { cli: false }))).toThrow(/not a \.NET assembly/)
    const text = join(folder, 'text.dll')
    writeFileSync(text, 'not a PE image at all, only some text that is long enough to be read as one'.repeat(2))
    expect(() => assemblyCode(text)).toThrow(/not a PE image/)
  })
})
