// Headless Chromium (Debian's package, driven by puppeteer-core) for the browser sign-in tests, and the sink that
// receives the URL the module hands to its opener (test/browser/opener.mjs).

import { createHash, X509Certificate } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'node:tls'
import puppeteer, { type Browser } from 'puppeteer-core'
import type { Emulator } from '../emulator/index.js'

export const CHROMIUM = '/usr/bin/chromium'
export const chromiumInstalled = existsSync(CHROMIUM)

/** base64(SHA-256(SubjectPublicKeyInfo)) of a certificate: what --ignore-certificate-errors-spki-list takes. */
function spkiHash(certificate: X509Certificate): string {
  return createHash('sha256')
    .update(certificate.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64')
}

/** The emulator's own server certificate, as a TLS client sees it. */
function serverCertificate(url: string): Promise<X509Certificate> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      const raw = socket.getPeerCertificate().raw
      socket.end()
      resolve(new X509Certificate(raw))
    })
    socket.once('error', reject)
  })
}

export interface Chromium {
  readonly browser: Browser
  close(): Promise<void>
}

/**
 * Starts headless Chromium that trusts exactly the emulator's throwaway certificate (by its SPKI hash; every other
 * certificate error still fails), with a fresh profile and nothing that reaches out to the network by itself.
 */
export async function launchChromium(emulator: Pick<Emulator, 'url'>): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'entraauth-chromium-'))
  const spki = spkiHash(await serverCertificate(emulator.url))
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--no-default-browser-check',
      `--ignore-certificate-errors-spki-list=${spki}`,
    ],
  })
  return {
    browser,
    async close() {
      await browser.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

export interface OpenerSink {
  /** For ENTRAAUTH_TEST_OPENER_SINK. */
  readonly url: string
  /** Every URL the opener was given so far. */
  readonly received: readonly string[]
  /** The next URL the opener is given (or one already received and not yet taken). */
  next(timeoutMs?: number): Promise<string>
  close(): Promise<void>
}

export async function startOpenerSink(): Promise<OpenerSink> {
  const received: string[] = []
  let taken = 0
  const waiters: Array<() => void> = []
  const server: Server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      received.push(body)
      response.writeHead(204).end()
      for (const wake of waiters.splice(0)) wake()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  return {
    url,
    received,
    async next(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      while (taken >= received.length) {
        if (Date.now() > deadline) throw new Error(`the opener was not called within ${timeoutMs} ms`)
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 100)
        })
      }
      return received[taken++]!
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
