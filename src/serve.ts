// The resident core: answers request lines as they come, with dispatchers (keep-alive) shared by all of them,
// and says when it has been idle long enough to exit.

import { ENV_VARS } from './config/constants.js'
import type { Env } from './config/env.js'
import { chooseProxy, proxySettings } from './http/proxy.js'
import { parseAuthorityHost } from './oauth/authority.js'
import { createDispatchers, runRequest, type Dispatchers } from './runRequest.js'
import { fail } from './protocol/response.js'
import { acceptedMessage, envelopeMessage, lineMessage, parseWireLine } from './protocol/wire.js'

/** When the resident core exits by itself: after `idleMs` without a running request (`--idle-sec`). */
export interface IdleExit {
  idleMs: number
  /** Called once, when the core has been idle that long; the program exits (code 0). */
  onIdle: () => void
}

/**
 * With AZURE_AUTHORITY_HOST set the login host is known before any request: the connection to it opens now, so its
 * TLS handshake overlaps the wait for the first request line (http/warmConnections.ts). Not when a proxy variable
 * routes it; a request that names another host (-AuthorityHost, -Environment) or a system proxy leaves it unused,
 * closed after WARM_CONNECTION_MS (10 s). A bad value is left to the first request that uses it, which reports it.
 */
function preconnectAuthority(env: Env, dispatchers: Dispatchers): void {
  if (env.authorityHost === undefined) return
  try {
    const url = new URL(parseAuthorityHost(env.authorityHost, ENV_VARS.authorityHost))
    if (chooseProxy(url, 'token', proxySettings({}, env)) === undefined) dispatchers.preconnect(url)
  } catch {
    // Reported by the request that uses it.
  }
}

/**
 * Returns the handler for one input line; each request runs on its own and writes its messages through `write`.
 * Every line gets its envelope, also when something in the core throws. With `idle`, the idle clock starts now
 * and again each time the last running request has answered; a request line stops it.
 * @param write writes one output line (stdout in the program, an array in tests)
 */
export function createServer(
  env: Env,
  write: (text: string) => void,
  idle?: IdleExit,
): (line: string) => Promise<void> {
  const dispatchers = createDispatchers(env)
  preconnectAuthority(env, dispatchers)
  let running = 0
  let timer: NodeJS.Timeout | undefined
  const armIdle = () => {
    if (idle === undefined || running > 0) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (running === 0) idle.onIdle()
    }, idle.idleMs)
  }
  armIdle()
  return async (line) => {
    if (line.trim() === '') return
    running++
    clearTimeout(timer)
    let id: number | null = null
    try {
      const wire = parseWireLine(line)
      id = wire.id
      const requestId = id
      if (requestId !== null) write(acceptedMessage(requestId))
      const envelope = await runRequest(wire.read, env, dispatchers, (text) => write(lineMessage(requestId, text)))
      write(envelopeMessage(id, envelope))
    } catch (error) {
      // runRequest never throws; this keeps the promise of one envelope per line should anything else.
      write(envelopeMessage(id, fail(error)))
    } finally {
      running--
      armIdle()
    }
  }
}
