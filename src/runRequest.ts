// Answers one parsed request with one envelope: the same work for the one-shot and the resident core.

import { existsSync, readFileSync, statSync } from 'node:fs'
import { acquireToken } from './acquireToken.js'
import type { Env } from './config/env.js'
import { prepareClientCertificateAssertion } from './flows/clientCertificateSigned.js'
import type { ArcFiles } from './flows/managedIdentity/azureArc.js'
import { createHttpClient, createNetwork, createPinnedDispatcher, type Dispatcher, type Network } from './http/client.js'
import { chooseProxy, describeProxy, proxySecrets, proxySettings } from './http/proxy.js'
import { tlsOverrideWarning } from './http/trust.js'
import { systemClock } from './http/retry.js'
import { readBoundedFile } from './io/readBoundedFile.js'
import { createLogger } from './log/logger.js'
import { createPromptWriter } from './log/prompt.js'
import { describeToken } from './log/tokenFacts.js'
import { Redactor } from './log/redact.js'
import { SECRET_FIELDS, type CoreRequest } from './protocol/request.js'
import { canonicalTarget } from './flows/target.js'
import { fail, ok, prepared, resolved, type Envelope } from './protocol/response.js'

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

/** The keep-alive connections of one core (direct and through proxies): made once, reused by every request of a resident core. */
export type Dispatchers = Network

export function createDispatchers(env: Env): Dispatchers {
  return createNetwork(env)
}

export async function closeDispatchers(dispatchers: Dispatchers): Promise<void> {
  await dispatchers.close()
}

/**
 * Runs one request and returns its envelope; never throws.
 * @param read parses and checks the request (throws ERR_PROTOCOL, which becomes the envelope)
 * @param writeLine where this request's log and prompt lines go (`[EntraAuth] <level>: …\n`)
 */
export async function runRequest(read: () => CoreRequest, env: Env, dispatchers: Dispatchers, writeLine: (line: string) => void): Promise<Envelope> {
  const redactor = new Redactor()
  let logger = createLogger('info', redactor, writeLine)
  try {
    const request = read()
    if (request.flow === 'resolveTarget') return resolved(canonicalTarget(request, env))
    for (const field of SECRET_FIELDS) redactor.addSecret(request[field as keyof typeof request] as string | undefined)
    logger = createLogger(request.logLevel ?? 'info', redactor, writeLine)
    for (const secret of [env.identityHeader, env.msiSecret, env.actionsIdTokenRequestToken]) redactor.addSecret(secret)
    const proxies = proxySettings(request, env)
    for (const secret of proxySecrets(proxies)) redactor.addSecret(secret)
    const tlsWarning = tlsOverrideWarning(env)
    if (tlsWarning !== undefined) logger.warning(tlsWarning)
    const announced = new Set<string>()
    const tokenRoute = (url: URL): Dispatcher => {
      const proxy = chooseProxy(url, 'token', proxies)
      const route = proxy === undefined ? `${url.host}: direct` : `${url.host}: through the proxy ${describeProxy(proxy.url)} (${proxy.source})`
      if (!announced.has(route)) logger.verbose(route)
      announced.add(route)
      return dispatchers.through(proxy)
    }
    const pinned: Dispatcher[] = []
    const pinnedClient = (thumbprint: string) => {
      const pinnedDispatcher = createPinnedDispatcher(thumbprint)
      pinned.push(pinnedDispatcher)
      return createHttpClient(pinnedDispatcher, 'managedIdentity')
    }
    try {
      const deps = {
        http: createHttpClient(tokenRoute, 'token'),
        clock: systemClock,
        logger,
        readFile: readBoundedFile,
        addSecret: (value: string) => redactor.addSecret(value),
        redact: (text: string) => redactor.redact(text),
        prompt: createPromptWriter(redactor, writeLine),
        managedIdentity: { http: createHttpClient(dispatchers.direct, 'managedIdentity'), pinnedClient, files: arcFiles },
      }
      if (request.flow === 'clientCertificatePrepare') return prepared(await prepareClientCertificateAssertion(request, env, deps))
      const token = await acquireToken(request, env, deps)
      logger.verbose(describeToken(token, systemClock.now()))
      return ok(token, canonicalTarget(request, env, token))
    } finally {
      await Promise.all(pinned.map((closing) => closing.close()))
    }
  } catch (error) {
    if (error instanceof Error) logger.debug(error.stack ?? error.message)
    // On the values, before they become JSON: a secret with a quote or backslash in it stays recognisable, and no
    // replacement can break the envelope.
    return redactor.redactValue(fail(error))
  }
}
