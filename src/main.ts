// Program entry, the only file touching process stdin/stdout/exit: one-shot (one request, one envelope) or resident (--serve).

import { createInterface } from 'node:readline'
import { readEnv } from './config/env.js'
import { closeDispatchers, createDispatchers, runRequest } from './runRequest.js'
import { parseRequest } from './protocol/request.js'
import { EXIT_CODES, serialize } from './protocol/response.js'
import { createServer } from './serve.js'

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
  const envelope = await runRequest(() => parseRequest(text), env, dispatchers, (line) => process.stderr.write(line))
  await closeDispatchers(dispatchers)
  process.stdout.write(serialize(envelope))
  process.exitCode = envelope.ok ? EXIT_CODES.OK : EXIT_CODES[envelope.error.code]
}

/**
 * The session-resident core (src/protocol/wire.ts): request lines in, id-tagged lines out. It ends when stdin
 * ends (module removed, PowerShell gone, even killed), abandoning any request still running. Ctrl+C in the
 * terminal reaches it too (same process group); it ignores that: the module stops the request it was waiting for.
 */
function serve(): void {
  process.on('SIGINT', () => {})
  const handle = createServer(readEnv(), (text) => process.stdout.write(text))
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
  lines.on('line', (line) => void handle(line))
  lines.on('close', () => process.exit(EXIT_CODES.OK))
}

// No top-level await: the same file is bundled as ESM (node + bundle) and as CommonJS (the single executables).
if (process.argv.includes('--serve')) serve()
else void oneShot()
