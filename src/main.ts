// Program entry: one JSON request on stdin, one JSON envelope on stdout, people-facing logs on stderr.

import { existsSync, readFileSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { acquireToken } from './acquireToken.js'
import { readEnv } from './config/env.js'
import { prepareClientCertificateAssertion } from './flows/clientCertificateSigned.js'
import type { ArcFiles } from './flows/managedIdentity/azureArc.js'
import { createDirectDispatcher, createDispatcher, createHttpClient, type Dispatcher } from './http/client.js'
import { systemClock } from './http/retry.js'
import { createLogger } from './log/logger.js'
import { createPromptWriter } from './log/prompt.js'
import { describeToken } from './log/tokenFacts.js'
import { Redactor } from './log/redact.js'
import { parseRequest, SECRET_FIELDS } from './protocol/request.js'
import { EXIT_CODES, fail, ok, prepared, serialize, type Envelope } from './protocol/response.js'

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

const arcFiles: ArcFiles = {
  platform: process.platform,
  exists: (path) => existsSync(path),
  size: (path) => {
    try {
      return statSync(path).size
    } catch {
      return undefined
    }
  },
  read: (path) => readFileSync(path, 'utf8'),
}

async function run(): Promise<Envelope> {
  const redactor = new Redactor()
  let logger = createLogger('info', redactor, (line) => process.stderr.write(line))
  try {
    const request = parseRequest(await readStdin())
    for (const field of SECRET_FIELDS) redactor.addSecret(request[field as keyof typeof request] as string | undefined)
    logger = createLogger(request.logLevel ?? 'info', redactor, (line) => process.stderr.write(line))
    const env = readEnv()
    for (const secret of [env.identityHeader, env.msiSecret, env.actionsIdTokenRequestToken]) redactor.addSecret(secret)
    const dispatcher = createDispatcher(env)
    const direct = createDirectDispatcher()
    const pinned: Dispatcher[] = []
    const pinnedClient = (thumbprint: string) => {
      const pinnedDispatcher = createDirectDispatcher(thumbprint)
      pinned.push(pinnedDispatcher)
      return createHttpClient(pinnedDispatcher)
    }
    try {
      const deps = {
        http: createHttpClient(dispatcher),
        clock: systemClock,
        logger,
        readFile,
        addSecret: (value: string) => redactor.addSecret(value),
        prompt: createPromptWriter(redactor, (line) => process.stderr.write(line)),
        managedIdentity: { http: createHttpClient(direct), pinnedClient, files: arcFiles },
      }
      if (request.flow === 'clientCertificatePrepare') return prepared(await prepareClientCertificateAssertion(request, env, deps))
      const token = await acquireToken(request, env, deps)
      logger.verbose(describeToken(token, systemClock.now()))
      return ok(token)
    } finally {
      await Promise.all([dispatcher, direct, ...pinned].map((closing) => closing.close()))
    }
  } catch (error) {
    if (error instanceof Error) logger.debug(error.stack ?? error.message)
    const envelope = fail(error)
    return JSON.parse(redactor.redact(JSON.stringify(envelope))) as Envelope
  }
}

// No top-level await: the same file is bundled as ESM (node + bundle) and as CommonJS (the single executables).
void run().then((envelope) => {
  process.stdout.write(serialize(envelope))
  process.exitCode = envelope.ok ? EXIT_CODES.OK : EXIT_CODES[envelope.error.code]
})
