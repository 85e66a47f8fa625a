// Program entry, the only file touching process stdin/stdout/exit: one-shot (one request, one envelope) or resident (--serve).

import { createInterface } from 'node:readline'
import './memoryFlags.js'
import { readEnv } from './config/env.js'
import { closeDispatchers, createDispatchers, runRequest } from './runRequest.js'
import { parseRequest } from './protocol/request.js'
import { EXIT_CODES, serialize } from './protocol/response.js'
import { createServer } from './serve.js'
import { PROTOCOL_DEFAULTS } from './protocol/table.js'

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** One JSON request on stdin until EOF, one envelope on stdout, log lines on stderr, an exit code per outcome. */
async function oneShot(): Promise<void> {
  const text = await readStdin()
  const env = readEnv()
  const dispatchers = createDispatchers(env)
  const envelope = await runRequest(
    () => parseRequest(text),
    env,
    dispatchers,
    (line) => process.stderr.write(line),
  )
  await closeDispatchers(dispatchers)
  process.stdout.write(serialize(envelope))
  process.exitCode = envelope.ok ? EXIT_CODES.OK : EXIT_CODES[envelope.error.code]
}

/** Most seconds `--idle-sec` takes: a day (the table's coreIdleMaxSec, which the module checks ENTRAAUTH_CORE_IDLE_SEC against). */
const MAX_IDLE_SEC = PROTOCOL_DEFAULTS.coreIdleMaxSec

/** The value of `--idle-sec <n>` (whole seconds, 1 to a day), or undefined without it; exits 2 on a bad value. */
function idleSeconds(argv: readonly string[]): number | undefined {
  const index = argv.indexOf('--idle-sec')
  if (index < 0) return undefined
  const text = argv[index + 1] ?? ''
  const seconds = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN
  if (seconds >= 1 && seconds <= MAX_IDLE_SEC) return seconds
  process.stderr.write(`[EntraAuth] --idle-sec takes whole seconds from 1 to ${MAX_IDLE_SEC}, not '${text}'.\n`)
  process.exit(EXIT_CODES.ERR_INVALID_REQUEST)
}

/**
 * The session-resident core (src/protocol/wire.ts): request lines in, id-tagged lines out. It ends when stdin
 * ends (module removed, PowerShell gone, even killed), abandoning any request still running, and with
 * `--idle-sec <n>` after n seconds without a running request (the module passes ENTRAAUTH_CORE_IDLE_SEC, default
 * 300: a core whose runspace ended without closing it does not stay). Ctrl+C in the terminal reaches it too (same
 * process group); it ignores that: the module stops the request it was waiting for.
 */
function serve(): void {
  process.on('SIGINT', () => {})
  const seconds = idleSeconds(process.argv)
  const idle = seconds === undefined ? undefined : { idleMs: seconds * 1000, onIdle: () => process.exit(EXIT_CODES.OK) }
  const handle = createServer(readEnv(), (text) => process.stdout.write(text), idle)
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
  lines.on('line', (line) => void handle(line))
  lines.on('close', () => process.exit(EXIT_CODES.OK))
}

// No top-level await: the same file is bundled as ESM (node + bundle) and as CommonJS (the single executables).
if (process.argv.includes('--serve')) serve()
else void oneShot()
