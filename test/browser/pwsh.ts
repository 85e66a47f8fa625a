// Runs a pwsh script with the module against the emulator, the test opener as ENTRAAUTH_BROWSER; JSON result on stdout.

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findPwsh } from '../../build/tools.mjs'
import type { Emulator } from '../emulator/index.js'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
export const openerPath = fileURLToPath(new URL('./opener.mjs', import.meta.url))

/** What the pwsh side of a test reports: its values, or the error record's id, category and message. */
export type PwshResult = Record<string, unknown> & { error?: { id: string; category: string; message: string } }

/** The environment of the pwsh under test: the emulator, its CA, the test opener; nothing pointing at Microsoft. */
export function testEnv(
  emulator: Emulator,
  sinkUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (
      value !== undefined &&
      !/^(AZURE_|IDENTITY_|MSI_|IMDS_|ACTIONS_ID_TOKEN_|ENTRAAUTH_)/.test(name) &&
      !/^(https?_proxy|no_proxy)$/i.test(name)
    )
      env[name] = value
  }
  return {
    ...env,
    NODE_EXTRA_CA_CERTS: emulator.caFile,
    SSL_CERT_FILE: emulator.caFile,
    AZURE_AUTHORITY_HOST: emulator.url,
    ENTRAAUTH_BROWSER: openerPath,
    ENTRAAUTH_TEST_OPENER_SINK: sinkUrl,
    ...extra,
  }
}

/**
 * Starts `pwsh -NonInteractive` with the module imported and `body` run inside try/catch; `$r` is a hashtable the body
 * fills, printed as JSON at the end (with `error` when the body threw).
 */
export function runPwsh(body: string, env: Record<string, string>): Promise<PwshResult> {
  const script = `$ErrorActionPreference = 'Stop'; Import-Module '${repoRoot}EntraAuth.psd1'; $r = @{}
try { ${body} } catch { $r.error = @{ id = $_.FullyQualifiedErrorId; category = "$($_.CategoryInfo.Category)"; message = $_.Exception.Message } }
'@@RESULT@@' + ($r | ConvertTo-Json -Depth 6 -Compress) + '@@END@@'`
  const folder = mkdtempSync(join(tmpdir(), 'entraauth-browser-'))
  const file = join(folder, 'test.ps1')
  writeFileSync(file, script)
  const child = spawn(findPwsh(), ['-NoProfile', '-NonInteractive', '-File', file], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => {
      rmSync(folder, { recursive: true, force: true })
      const result = /@@RESULT@@(.*)@@END@@/s.exec(stdout)?.[1]
      if (result === undefined)
        return reject(new Error(`pwsh exited ${code} without a result.\nstdout: ${stdout}\nstderr: ${stderr}`))
      resolve(JSON.parse(result) as PwshResult)
    })
  })
}

/** True when nothing listens on the port at that address (the connection is refused). */
export function portClosed(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host })
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ECONNREFUSED' || error.code === 'EADDRNOTAVAIL' || error.code === 'ENETUNREACH'),
    )
  })
}
