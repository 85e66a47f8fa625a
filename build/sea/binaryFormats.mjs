// Reads what the build and the tests need from PE and ELF files: headers, resources, notes, the signature slot.

/** @type {Record<number, string>} */
const PE_MACHINES = { 0x8664: 'x64', 0xaa64: 'arm64' }
/** @type {Record<number, string>} */
const ELF_MACHINES = { 62: 'x64', 183: 'arm64' }

/** @typedef {{ name: string, virtualSize: number, virtualAddress: number, rawSize: number, rawPointer: number }} PeSection */
/** @typedef {ReturnType<typeof readPe>} PeHeaders */
/** @typedef {{ key: number | string, directory: boolean, offset: number }} ResourceEntry */

/**
 * The headers of a 64-bit PE file: `{ machine, subsystem, optional, sections, directory(i) }`.
 * @param {Buffer} buffer
 * @throws Error when the buffer is not a PE32+ image
 */
export function readPe(buffer) {
  if (buffer.toString('latin1', 0, 2) !== 'MZ') throw new Error('not a PE file: no MZ header')
  const pe = buffer.readUInt32LE(0x3c)
  if (buffer.toString('latin1', pe, pe + 4) !== 'PE\0\0') throw new Error('not a PE file: no PE signature')
  const coff = pe + 4
  const sectionCount = buffer.readUInt16LE(coff + 2)
  const optionalSize = buffer.readUInt16LE(coff + 16)
  const optional = coff + 20
  if (buffer.readUInt16LE(optional) !== 0x20b) throw new Error('not a PE32+ (64-bit) image')
  /** @type {PeSection[]} */
  const sections = []
  for (let i = 0; i < sectionCount; i++) {
    const at = optional + optionalSize + i * 40
    sections.push({
      name: buffer.toString('latin1', at, at + 8).replace(/\0+$/, ''),
      virtualSize: buffer.readUInt32LE(at + 8),
      virtualAddress: buffer.readUInt32LE(at + 12),
      rawSize: buffer.readUInt32LE(at + 16),
      rawPointer: buffer.readUInt32LE(at + 20),
    })
  }
  return {
    machine: PE_MACHINES[buffer.readUInt16LE(coff)] ?? `0x${buffer.readUInt16LE(coff).toString(16)}`,
    subsystem: buffer.readUInt16LE(optional + 68),
    checksumAt: optional + 64,
    sections,
    /**
     * Data directory `index` (2 resources, 4 certificates): `{ at, address, size }`.
     * @param {number} index
     */
    directory(index) {
      const at = optional + 112 + index * 8
      return { at, address: buffer.readUInt32LE(at), size: buffer.readUInt32LE(at + 4) }
    },
  }
}

/**
 * @param {PeHeaders} headers
 * @param {number} rva
 */
function rvaToOffset(headers, rva) {
  const section = headers.sections.find((s) => rva >= s.virtualAddress && rva < s.virtualAddress + Math.max(s.virtualSize, s.rawSize))
  if (section === undefined) throw new Error(`RVA 0x${rva.toString(16)} is in no section`)
  return rva - section.virtualAddress + section.rawPointer
}

/**
 * @param {Buffer} buffer
 * @param {number} base
 * @param {number} offset
 */
function resourceEntries(buffer, base, offset) {
  const named = buffer.readUInt16LE(base + offset + 12)
  const ids = buffer.readUInt16LE(base + offset + 14)
  /** @type {ResourceEntry[]} */
  const entries = []
  for (let i = 0; i < named + ids; i++) {
    const at = base + offset + 16 + i * 8
    const nameField = buffer.readUInt32LE(at)
    const target = buffer.readUInt32LE(at + 4)
    /** @type {number | string} */
    let key = nameField
    if (nameField & 0x80000000) {
      const string = base + (nameField & 0x7fffffff)
      key = buffer.toString('utf16le', string + 2, string + 2 + buffer.readUInt16LE(string) * 2)
    }
    entries.push({ key, directory: (target & 0x80000000) !== 0, offset: target & 0x7fffffff })
  }
  return entries
}

/**
 * The data of resource `type`/`name` (first language), or undefined. RT_RCDATA is type 10; postject puts the
 * SEA blob there under the name NODE_SEA_BLOB.
 * @param {Buffer} buffer
 * @param {number} type
 * @param {string} name
 */
export function findPeResource(buffer, type, name) {
  const headers = readPe(buffer)
  const directory = headers.directory(2)
  if (directory.size === 0) return undefined
  const base = rvaToOffset(headers, directory.address)
  const typeEntry = resourceEntries(buffer, base, 0).find((e) => e.key === type && e.directory)
  if (typeEntry === undefined) return undefined
  const nameEntry = resourceEntries(buffer, base, typeEntry.offset).find((e) => e.key === name && e.directory)
  if (nameEntry === undefined) return undefined
  const language = resourceEntries(buffer, base, nameEntry.offset)[0]
  if (language === undefined || language.directory) return undefined
  const dataRva = buffer.readUInt32LE(base + language.offset)
  const size = buffer.readUInt32LE(base + language.offset + 4)
  const start = rvaToOffset(headers, dataRva)
  return buffer.subarray(start, start + size)
}

/**
 * A copy of a PE file without its Authenticode signature. Node's signature stops matching once the blob is
 * injected; an unsigned file says so plainly instead of carrying a broken signature.
 * @param {Buffer} buffer
 */
export function stripPeSignature(buffer) {
  const headers = readPe(buffer)
  const certificates = headers.directory(4)
  if (certificates.size === 0) return buffer
  if (certificates.address + certificates.size < buffer.length - 8) throw new Error('the signature is not at the end of the file; refusing to cut it')
  const copy = Buffer.from(buffer.subarray(0, certificates.address))
  copy.writeUInt32LE(0, certificates.at)
  copy.writeUInt32LE(0, certificates.at + 4)
  copy.writeUInt32LE(0, headers.checksumAt)
  return copy
}

/**
 * `{ machine }` of a 64-bit little-endian ELF file.
 * @param {Buffer} buffer
 * @throws Error for anything else
 */
export function readElf(buffer) {
  if (buffer.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file')
  if (buffer[4] !== 2 || buffer[5] !== 1) throw new Error('not a 64-bit little-endian ELF file')
  const machine = buffer.readUInt16LE(18)
  return { machine: ELF_MACHINES[machine] ?? `${machine}` }
}

/**
 * The descriptor of the ELF note called `name` (postject stores the SEA blob as note NODE_SEA_BLOB), or undefined.
 * @param {Buffer} buffer
 * @param {string} name
 */
export function findElfNote(buffer, name) {
  readElf(buffer)
  const phoff = Number(buffer.readBigUInt64LE(32))
  const phentsize = buffer.readUInt16LE(54)
  const phnum = buffer.readUInt16LE(56)
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize
    if (buffer.readUInt32LE(at) !== 4) continue // PT_NOTE
    const offset = Number(buffer.readBigUInt64LE(at + 8))
    const end = offset + Number(buffer.readBigUInt64LE(at + 32))
    let cursor = offset
    while (cursor + 12 <= end) {
      const nameSize = buffer.readUInt32LE(cursor)
      const descSize = buffer.readUInt32LE(cursor + 4)
      const noteName = buffer.toString('latin1', cursor + 12, cursor + 12 + nameSize).replace(/\0+$/, '')
      const desc = cursor + 12 + Math.ceil(nameSize / 4) * 4
      if (noteName === name) return buffer.subarray(desc, desc + descSize)
      cursor = desc + Math.ceil(descSize / 4) * 4
    }
  }
  return undefined
}

/**
 * The header of a Node SEA preparation blob: `{ codeCache, snapshot, warningDisabled }`.
 * @param {Buffer} blob
 * @throws Error when the magic number is not Node's
 */
export function readSeaBlobHeader(blob) {
  if (blob.readUInt32LE(0) !== 0x0143da20) throw new Error(`not a SEA blob: magic 0x${blob.readUInt32LE(0).toString(16)}`)
  const flags = blob.readUInt32LE(4)
  return { warningDisabled: (flags & 1) !== 0, snapshot: (flags & 2) !== 0, codeCache: (flags & 4) !== 0 }
}
