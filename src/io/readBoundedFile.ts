// Reads a small file the core was pointed at: regular files only (symlinks to them too), never more than a cap.

import { constants } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import table from '../protocol/protocol.json' with { type: 'json' }

/** Most bytes the core reads from each kind of file. */
export const FILE_LIMITS = {
  /** A federated (Kubernetes, OIDC) token: a JWT of a few KiB. */
  federatedToken: 64 * 1024,
  /** A PEM certificate with its chain and key, or a PFX: the table's cap, which the module applies to the files it reads. */
  certificate: table.defaults.certificateFileMaxBytes,
} as const

/**
 * Opening flags: O_NONBLOCK so that opening a FIFO returns at once (instead of waiting for a writer) and the type
 * check below refuses it; O_NOCTTY so that a terminal device never becomes ours. Both are 0 where they do not exist.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0)

/** Why a file was not read: `code` is Node's (ENOENT, EACCES, …) or one of ours. */
export class FileReadError extends Error {
  readonly code: string
  constructor(code: string, reason: string, options?: { cause?: unknown }) {
    super(reason, options)
    this.name = 'FileReadError'
    this.code = code
  }
}

/** `64 KiB`, `1 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`
  return `${bytes} bytes`
}

function kindOf(stats: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a FIFO (named pipe)'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  if (stats.isSocket()) return 'a socket'
  return 'not a regular file'
}

function tooLarge(maxBytes: number): FileReadError {
  return new FileReadError('EFBIG', `it is larger than ${formatBytes(maxBytes)}, the most EntraAuth reads from such a file`)
}

async function readAtMost(handle: FileHandle, sizeHint: number, maxBytes: number): Promise<Buffer> {
  // One byte more than allowed tells a file that is too large (or grew since fstat) from one that fits. The buffer
  // starts at the size fstat gave (procfs files say 0) and doubles up to that limit.
  const limit = maxBytes + 1
  let buffer = Buffer.alloc(Math.min(limit, Math.max(sizeHint + 1, 4096)))
  let length = 0
  for (;;) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null)
    if (bytesRead === 0) break
    length += bytesRead
    if (length === buffer.length) {
      if (length >= limit) break
      const grown = Buffer.alloc(Math.min(limit, buffer.length * 2))
      buffer.copy(grown, 0, 0, length)
      buffer = grown
    }
  }
  if (length > maxBytes) throw tooLarge(maxBytes)
  return buffer.subarray(0, length)
}

/**
 * Reads a whole regular file of at most `maxBytes` bytes. A symlink is followed (Kubernetes projects its token
 * files through `..data` links); what it points at must be a regular file too.
 * @throws FileReadError: `ENOENT`, `EACCES`, … as Node reports them, `ENOTREG` for a FIFO, device, socket or
 *   directory, `EFBIG` for a file larger than `maxBytes`; `message` says which, in words.
 */
export async function readBoundedFile(path: string, maxBytes: number): Promise<Uint8Array> {
  let handle: FileHandle
  try {
    handle = await open(path, OPEN_FLAGS)
  } catch (cause) {
    const code = (cause as { code?: unknown }).code
    if (code === 'ENOENT') throw new FileReadError('ENOENT', 'it was not found', { cause })
    if (code === 'EISDIR') throw new FileReadError('ENOTREG', 'it is a directory, not a regular file', { cause })
    if (code === 'EACCES' || code === 'EPERM') throw new FileReadError(code, `this account may not read it (${code})`, { cause })
    throw new FileReadError(typeof code === 'string' ? code : 'EIO', `it could not be opened (${typeof code === 'string' ? code : 'error'})`, { cause })
  }
  try {
    const stats = await handle.stat()
    if (!stats.isFile()) throw new FileReadError('ENOTREG', `it is ${kindOf(stats)}, not a regular file`)
    if (stats.size > maxBytes) throw tooLarge(maxBytes)
    return await readAtMost(handle, stats.size, maxBytes)
  } catch (cause) {
    if (cause instanceof FileReadError) throw cause
    const code = (cause as { code?: unknown }).code
    throw new FileReadError(typeof code === 'string' ? code : 'EIO', `it could not be read (${typeof code === 'string' ? code : 'error'})`, { cause })
  } finally {
    await handle.close()
  }
}

/** What a failed read says about the file, for messages: "it was not found", "it is a FIFO (named pipe), not a regular file". */
export function describeReadFailure(cause: unknown): string {
  if (cause instanceof FileReadError) return cause.message
  const code = (cause as { code?: unknown }).code
  return `it could not be read (${typeof code === 'string' ? code : 'error'})`
}
