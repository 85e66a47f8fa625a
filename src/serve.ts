// The resident core: answers request lines as they come, with dispatchers (keep-alive) shared by all of them.

import type { Env } from './config/env.js'
import { createDispatchers, runRequest } from './runRequest.js'
import { envelopeMessage, lineMessage, parseWireLine } from './protocol/wire.js'

/**
 * Returns the handler for one input line; each request runs on its own and writes its messages through `write`.
 * @param write writes one output line (stdout in the program, an array in tests)
 */
export function createServer(env: Env, write: (text: string) => void): (line: string) => Promise<void> {
  const dispatchers = createDispatchers(env)
  return async (line) => {
    if (line.trim() === '') return
    const { id, read } = parseWireLine(line)
    const envelope = await runRequest(read, env, dispatchers, (text) => write(lineMessage(id, text)))
    write(envelopeMessage(id, envelope))
  }
}
