import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import tls from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readEnv } from '../../../src/config/env.js'
import { systemStoreSupported, tlsOverrideWarning, trustedCertificates, trustHint } from '../../../src/http/trust.js'
import { createTlsMaterial, type TlsMaterial } from '../../emulator/tls.js'

const nodeHasStoreApi = typeof (tls as { getCACertificates?: unknown }).getCACertificates === 'function'

describe('the trust store', () => {
  let material: TlsMaterial
  let work = ''
  beforeAll(async () => {
    material = await createTlsMaterial()
    work = mkdtempSync(join(tmpdir(), 'entraauth-trust-unit-'))
  })
  afterAll(() => {
    rmSync(material.dir, { recursive: true, force: true })
    rmSync(work, { recursive: true, force: true })
  })
  const pem = () => material.caPem.trim()

  it.skipIf(nodeHasStoreApi || process.platform === 'win32')(
    'Node 20: reads SSL_CERT_FILE and every file of SSL_CERT_DIR itself, along with the bundled roots',
    () => {
      const dir = join(work, 'dir')
      mkdirSync(dir)
      writeFileSync(join(dir, 'a.pem'), material.caPem)
      symlinkSync(join(dir, 'a.pem'), join(dir, 'abcd1234.0'))
      const fromFile = trustedCertificates(
        readEnv({ SSL_CERT_FILE: material.caFile, SSL_CERT_DIR: join(work, 'none') }),
        'linux',
      )
      expect(fromFile.map((text) => text.trim())).toContain(pem())
      expect(fromFile.length).toBe(tls.rootCertificates.length + 1)
      const fromDir = trustedCertificates(
        readEnv({ SSL_CERT_FILE: join(work, 'none.pem'), SSL_CERT_DIR: dir }),
        'linux',
      )
      expect(fromDir.map((text) => text.trim()).filter((text) => text === pem())).toHaveLength(1)
    },
  )

  it.skipIf(nodeHasStoreApi || process.platform === 'win32')(
    'Node 20: bounded reads: a FIFO or a directory as SSL_CERT_FILE is skipped at once, an oversized file is not read',
    () => {
      const fifo = join(work, 'fifo')
      execFileSync('mkfifo', [fifo])
      const started = Date.now()
      expect(
        trustedCertificates(readEnv({ SSL_CERT_FILE: fifo, SSL_CERT_DIR: join(work, 'none') }), 'linux'),
      ).toHaveLength(tls.rootCertificates.length)
      expect(
        trustedCertificates(readEnv({ SSL_CERT_FILE: work, SSL_CERT_DIR: join(work, 'none') }), 'linux'),
      ).toHaveLength(tls.rootCertificates.length)
      const big = join(work, 'big.pem')
      writeFileSync(big, `${material.caPem}\n${'#'.repeat(9 * 1024 * 1024)}`)
      expect(
        trustedCertificates(readEnv({ SSL_CERT_FILE: big, SSL_CERT_DIR: join(work, 'none') }), 'linux'),
      ).toHaveLength(tls.rootCertificates.length)
      expect(Date.now() - started).toBeLessThan(2000)
    },
  )

  it.skipIf(nodeHasStoreApi)(
    'Node 20 on Windows and macOS: no system store, and the hint says what to do instead',
    () => {
      expect(systemStoreSupported('win32')).toBe(false)
      expect(trustHint('win32')).toMatch(
        /NODE_EXTRA_CA_CERTS \(this Node.js v\S+ cannot read Windows' certificate store.*ENTRAAUTH_CORE=executable/,
      )
      expect(trustHint('darwin')).toMatch(/Node.js 22.15 or later can\)/)
      expect(trustHint('darwin')).not.toMatch(/ENTRAAUTH_CORE/)
    },
  )

  it('the hint names the stores and says verification is never turned off', () => {
    expect(trustHint('linux')).toMatch(
      /system store \(SSL_CERT_FILE, SSL_CERT_DIR.*NODE_EXTRA_CA_CERTS. TLS verification is never turned off \(NODE_TLS_REJECT_UNAUTHORIZED is ignored\)/,
    )
  })

  it('finding 1: NODE_TLS_REJECT_UNAUTHORIZED=0 gets a warning; other values none', () => {
    expect(tlsOverrideWarning(readEnv({ NODE_TLS_REJECT_UNAUTHORIZED: '0' }))).toMatch(
      /NODE_TLS_REJECT_UNAUTHORIZED=0 is set.*ignores it/,
    )
    expect(tlsOverrideWarning(readEnv({ NODE_TLS_REJECT_UNAUTHORIZED: '1' }))).toBeUndefined()
    expect(tlsOverrideWarning(readEnv({}))).toBeUndefined()
  })
})
