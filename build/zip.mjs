// Writes a zip archive (deflate, forward-slash names, Unix modes) from a folder, with no dependency.

import { closeSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs'
import { join, relative } from 'node:path'
import { crc32, deflateRawSync } from 'node:zlib'

// DOS date and time of 1980-01-01 00:00: fixed, so the same inputs give the same archive.
const DOS_TIME = 0
const DOS_DATE = (0 << 9) | (1 << 5) | 1

/**
 * @param {string} folder
 * @returns {string[]}
 */
function listFiles(folder) {
  /** @type {string[]} */
  const files = []
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) files.push(...listFiles(path))
    else if (entry.isFile()) files.push(path)
  }
  return files.sort()
}

/**
 * Zips every file under `folder` into `zipFile`, entries named relative to `base` (so `base` = the parent of
 * `EntraAuth/` gives entries `EntraAuth/…`). Executable files keep mode 755 for unzip on Linux.
 * @param {string} zipFile
 * @param {string} folder
 * @param {string} base
 * @returns the number of files written
 */
export function writeZip(zipFile, folder, base) {
  const fd = openSync(zipFile, 'w')
  const central = []
  let offset = 0
  /** @param {Buffer} buffer */
  const write = (buffer) => {
    writeSync(fd, buffer)
    offset += buffer.length
  }
  try {
    for (const file of listFiles(folder)) {
      const name = Buffer.from(relative(base, file).split(/[\\/]/).join('/'), 'utf8')
      const data = readFileSync(file)
      const packed = deflateRawSync(data, { level: 9 })
      const stored = packed.length >= data.length
      const body = stored ? data : packed
      const crc = crc32(data)
      const mode = statSync(file).mode & 0o111 ? 0o100755 : 0o100644
      const header = Buffer.alloc(30)
      header.writeUInt32LE(0x04034b50, 0)
      header.writeUInt16LE(20, 4)
      header.writeUInt16LE(0x0800, 6) // UTF-8 names
      header.writeUInt16LE(stored ? 0 : 8, 8)
      header.writeUInt16LE(DOS_TIME, 10)
      header.writeUInt16LE(DOS_DATE, 12)
      header.writeUInt32LE(crc, 14)
      header.writeUInt32LE(body.length, 18)
      header.writeUInt32LE(data.length, 22)
      header.writeUInt16LE(name.length, 26)
      central.push({ name, crc, method: stored ? 0 : 8, compressed: body.length, size: data.length, mode, offset })
      write(header)
      write(name)
      write(body)
    }
    const start = offset
    for (const entry of central) {
      const record = Buffer.alloc(46)
      record.writeUInt32LE(0x02014b50, 0)
      record.writeUInt16LE((3 << 8) | 20, 4) // made by Unix, so the mode below counts
      record.writeUInt16LE(20, 6)
      record.writeUInt16LE(0x0800, 8)
      record.writeUInt16LE(entry.method, 10)
      record.writeUInt16LE(DOS_TIME, 12)
      record.writeUInt16LE(DOS_DATE, 14)
      record.writeUInt32LE(entry.crc, 16)
      record.writeUInt32LE(entry.compressed, 20)
      record.writeUInt32LE(entry.size, 24)
      record.writeUInt16LE(entry.name.length, 28)
      record.writeUInt32LE((entry.mode << 16) >>> 0, 38)
      record.writeUInt32LE(entry.offset, 42)
      write(record)
      write(entry.name)
    }
    const end = Buffer.alloc(22)
    end.writeUInt32LE(0x06054b50, 0)
    end.writeUInt16LE(central.length, 8)
    end.writeUInt16LE(central.length, 10)
    end.writeUInt32LE(offset - start, 12)
    end.writeUInt32LE(start, 16)
    write(end)
  } finally {
    closeSync(fd)
  }
  return central.length
}
