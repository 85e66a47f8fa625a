// The one place that decides TLS trust: Node's bundled roots + the system's certificate store + NODE_EXTRA_CA_CERTS, always verified.

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import tls, { type SecureContext } from 'node:tls'
import type { Env } from '../config/env.js'
import { ENV_VARS } from '../config/constants.js'
import { EntraAuthError } from '../errors.js'
import { errorCode } from './retry.js'

/** Bounds of what is read from a certificate file or directory (Node 20 only: newer Node reads the store itself). */
const STORE_LIMITS = { fileBytes: 8 * 1024 * 1024, directoryEntries: 4096, entryBytes: 1024 * 1024 } as const
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g

type GetCaCertificates = (type: 'default' | 'system' | 'bundled' | 'extra') => string[]
/** Node 22.15+ and 23.8+ (the executables' Node 22) read the system store themselves; Node 20 has no such API. */
const getCACertificates = (tls as unknown as { getCACertificates?: GetCaCertificates }).getCACertificates

/** Whether this Node.js reads the operating system's store (or, on Linux and similar, OpenSSL's locations here). */
export function systemStoreSupported(platform: NodeJS.Platform = process.platform): boolean {
  return getCACertificates !== undefined || (platform !== 'win32' && platform !== 'darwin')
}

function certificatesIn(path: string, limit: number): string[] {
  try {
    const stat = statSync(path)
    if (!stat.isFile() || stat.size > limit) return []
    return readFileSync(path, 'latin1').match(PEM_CERTIFICATE) ?? []
  } catch {
    return []
  }
}

/**
 * On Node 20 (no tls.getCACertificates), the same locations Node 22's system store reads off Windows and macOS:
 * SSL_CERT_FILE (else /etc/ssl/cert.pem) and every file in SSL_CERT_DIR (else /etc/ssl/certs), with size limits.
 */
function readOpenSslLocations(env: Env): string[] {
  const found = certificatesIn(env.sslCertFile ?? '/etc/ssl/cert.pem', STORE_LIMITS.fileBytes)
  const directory = env.sslCertDir ?? '/etc/ssl/certs'
  let names: string[]
  try {
    names = readdirSync(directory).slice(0, STORE_LIMITS.directoryEntries)
  } catch {
    names = []
  }
  for (const name of names) found.push(...certificatesIn(join(directory, name), STORE_LIMITS.entryBytes))
  return found
}

/** The CA certificates to trust, deduplicated: bundled, NODE_EXTRA_CA_CERTS, and the system store where readable. */
export function trustedCertificates(env: Env, platform: NodeJS.Platform = process.platform): string[] {
  if (getCACertificates !== undefined) return [...new Set([...getCACertificates('default'), ...getCACertificates('system')])]
  const extra = env.nodeExtraCaCerts === undefined ? [] : certificatesIn(env.nodeExtraCaCerts, STORE_LIMITS.fileBytes)
  const system = platform === 'win32' || platform === 'darwin' ? [] : readOpenSslLocations(env)
  return [...new Set([...tls.rootCertificates, ...extra, ...system])]
}

const contexts = new WeakMap<Env, SecureContext>()

/**
 * TLS options with the system store: `rejectUnauthorized: true` always (NODE_TLS_REJECT_UNAUTHORIZED is ignored),
 * and one secure context per core, made when a server's issuer is unknown to Node's roots (reading the store costs
 * tens of ms, so a core that never meets such a server never reads it).
 */
export function verifiedTlsOptions(env: Env): { rejectUnauthorized: true; secureContext: SecureContext } {
  let secureContext = contexts.get(env)
  if (secureContext === undefined) {
    secureContext = tls.createSecureContext({ ca: trustedCertificates(env) })
    contexts.set(env, secureContext)
  }
  return { rejectUnauthorized: true, secureContext }
}

/** The first try of a connection: Node's own roots and NODE_EXTRA_CA_CERTS, verified. */
export const bundledTlsOptions = { rejectUnauthorized: true } as const

/** Verification failures that the system store may cure: the issuer is unknown (not expiry, not a wrong name). */
const UNKNOWN_ISSUER_CODES = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED'])

export function needsSystemStore(error: unknown): boolean {
  const code = errorCode(error)
  return code !== undefined && UNKNOWN_ISSUER_CODES.has(code)
}

/** The warning every request logs while NODE_TLS_REJECT_UNAUTHORIZED=0 is set: it has no effect here, say so. */
export function tlsOverrideWarning(env: Env): string | undefined {
  if (env.nodeTlsRejectUnauthorized !== '0') return undefined
  return `${ENV_VARS.nodeTlsRejectUnauthorized}=0 is set in the environment; EntraAuth ignores it and verifies every TLS certificate. Remove it; to trust a TLS-inspecting proxy, add its root CA to the system's certificate store or to NODE_EXTRA_CA_CERTS.`
}

/** The fix for an untrusted certificate, naming the stores this runtime reads. */
export function trustHint(platform: NodeJS.Platform = process.platform): string {
  const store = platform === 'win32' ? "Windows' certificate store (Trusted Root Certification Authorities)" : platform === 'darwin' ? "the macOS keychain's system roots" : 'the system store (SSL_CERT_FILE, SSL_CERT_DIR, else /etc/ssl/cert.pem and /etc/ssl/certs)'
  const where = systemStoreSupported(platform)
    ? `add its root CA to ${store} or to NODE_EXTRA_CA_CERTS`
    : `add its root CA to NODE_EXTRA_CA_CERTS (this Node.js ${process.version} cannot read ${store}; Node.js 22.15 or later can${platform === 'win32' ? ', as the EntraAuth executable does: ENTRAAUTH_CORE=executable' : ''})`
  return `If a TLS-inspecting proxy sits in between, ${where}. TLS verification is never turned off (NODE_TLS_REJECT_UNAUTHORIZED is ignored).`
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
])

/** ERR_TLS for a certificate that failed verification, else undefined. */
export function tlsFailure(error: unknown, host: string): EntraAuthError | undefined {
  const code = errorCode(error)
  if (code === undefined || !TLS_CODES.has(code)) return undefined
  return new EntraAuthError('ERR_TLS', `The TLS certificate of ${host} is not trusted (${code}).`, { cause: error, hint: trustHint() })
}
