import { execFileSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeReadFailure, FILE_LIMITS, formatBytes, readBoundedFile } from '../../../src/io/readBoundedFile.js'
import { isJwtShaped } from '../../../src/oauth/jwtShape.js'

describe('finding 7: readBoundedFile', () => {
  let work = ''
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'entraauth-read-'))
  })
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  const failure = async (path: string, maxBytes: number) => {
    const error = await readBoundedFile(path, maxBytes).then(
      () => undefined,
      (cause: unknown) => cause,
    )
    expect(error).toBeDefined()
    return { code: (error as { code: string }).code, text: describeReadFailure(error) }
  }

  it('reads a regular file, and one of exactly the limit', async () => {
    writeFileSync(join(work, 'small'), 'abc')
    expect(Buffer.from(await readBoundedFile(join(work, 'small'), 3)).toString()).toBe('abc')
    writeFileSync(join(work, 'big'), Buffer.alloc(10_000, 0x41))
    expect((await readBoundedFile(join(work, 'big'), 10_000)).length).toBe(10_000)
  })

  it('refuses one byte more than the limit', async () => {
    writeFileSync(join(work, 'over'), Buffer.alloc(10_001, 0x41))
    expect(await failure(join(work, 'over'), 10_000)).toEqual({
      code: 'EFBIG',
      text: 'it is larger than 10000 bytes, the most EntraAuth reads from such a file',
    })
  })

  it('reads a file whose size fstat does not know (procfs) up to the limit only', async () => {
    // /proc/self/status is a regular file that fstat says is 0 bytes long.
    expect((await readBoundedFile('/proc/self/status', FILE_LIMITS.certificate)).length).toBeGreaterThan(100)
    expect((await failure('/proc/self/status', 64)).code).toBe('EFBIG')
  })

  it('refuses devices, FIFOs and directories by what fstat says after the open, within 100 ms each', async () => {
    execFileSync('mkfifo', [join(work, 'fifo')])
    const started = Date.now()
    expect(await failure('/dev/zero', 1024)).toEqual({
      code: 'ENOTREG',
      text: 'it is a character device, not a regular file',
    })
    expect(await failure(join(work, 'fifo'), 1024)).toEqual({
      code: 'ENOTREG',
      text: 'it is a FIFO (named pipe), not a regular file',
    })
    expect((await failure(work, 1024)).text).toBe('it is a directory, not a regular file')
    expect(Date.now() - started).toBeLessThan(300)
  })

  it('refuses a sparse 1 GB file from its size, without reading it', async () => {
    const path = join(work, 'sparse')
    closeSync(openSync(path, 'w'))
    truncateSync(path, 1024 ** 3)
    const before = process.memoryUsage().rss
    expect(await failure(path, FILE_LIMITS.federatedToken)).toEqual({
      code: 'EFBIG',
      text: 'it is larger than 64 KiB, the most EntraAuth reads from such a file',
    })
    expect(process.memoryUsage().rss - before).toBeLessThan(32 * 1024 * 1024)
  })

  it('follows a symlink to a regular file, and refuses one to a device', async () => {
    writeFileSync(join(work, 'target'), 'xyz')
    symlinkSync(join(work, 'target'), join(work, 'link'))
    symlinkSync('/dev/zero', join(work, 'zero-link'))
    expect(Buffer.from(await readBoundedFile(join(work, 'link'), 10)).toString()).toBe('xyz')
    expect((await failure(join(work, 'zero-link'), 10)).code).toBe('ENOTREG')
  })

  it('says when a file is missing', async () => {
    expect(await failure(join(work, 'missing'), 10)).toEqual({ code: 'ENOENT', text: 'it was not found' })
  })

  it('formats limits as people read them', () => {
    expect([formatBytes(FILE_LIMITS.federatedToken), formatBytes(FILE_LIMITS.certificate), formatBytes(1000)]).toEqual([
      '64 KiB',
      '1 MiB',
      '1000 bytes',
    ])
  })
})

describe('finding 7: isJwtShaped', () => {
  const header = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  it.each([
    ['a signed JWT', `${header({ alg: 'RS256', typ: 'JWT' })}.${header({ sub: 'x' })}.c2ln`, true],
    ['text', 'db_password=correct horse battery staple', false],
    ['two parts', `${header({ alg: 'RS256' })}.${header({})}`, false],
    ['an empty signature', `${header({ alg: 'RS256' })}.${header({})}.`, false],
    ['a header without alg', `${header({ typ: 'JWT' })}.${header({})}.c2ln`, false],
    ['a header that is not JSON', 'bm90IGpzb24.e30.c2ln', false],
    ['a header that is an array', `${header(['alg'])}.${header({})}.c2ln`, false],
    ['characters outside base64url', `${header({ alg: 'RS256' })}.e30=.c2ln`, false],
  ])('%s: %s', (_name, text, expected) => {
    expect(isJwtShaped(text)).toBe(expected)
  })
})
