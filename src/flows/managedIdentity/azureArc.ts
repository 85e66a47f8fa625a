// Azure Arc-enabled servers: a 401 challenge names a key file whose content proves local admin rights (docs/entra-protocol.md §7.5 "Azure Arc-enabled servers").

import { posix, win32 } from 'node:path'
import type { Env } from '../../config/env.js'
import { EntraAuthError } from '../../errors.js'
import type { Logger } from '../../log/logger.js'
import { parseEndpoint, withQuery } from './endpoint.js'
import type { UserAssignedIdentity } from './identity.js'
import { readManagedIdentityResponse, sendWithRetry, type ManagedIdentitySource } from './source.js'

const NAME = 'Azure Arc'
const DEFAULT_ENDPOINT = 'http://127.0.0.1:40342/metadata/identity/oauth2/token'
const MAX_KEY_FILE_BYTES = 4096

/** What the Arc source reads from disk: whether the agent is installed, and the challenge's key file. */
export interface ArcFiles {
  platform: NodeJS.Platform
  exists(path: string): boolean
  size(path: string): number | undefined
  read(path: string): string
}

function agentPath(env: Env, platform: NodeJS.Platform): string | undefined {
  if (platform === 'linux') return '/opt/azcmagent/bin/himds'
  if (platform === 'win32') return win32.join(env.programFiles ?? 'C:\\Program Files', 'AzureConnectedMachineAgent', 'himds.exe')
  return undefined
}

/** The only folder the agent writes key files to; a realm anywhere else is refused. */
function keyFolder(env: Env, platform: NodeJS.Platform): string | undefined {
  if (platform === 'linux') return '/var/opt/azcmagent/tokens'
  if (platform === 'win32') return win32.join(env.programData ?? 'C:\\ProgramData', 'AzureConnectedMachineAgent', 'Tokens')
  return undefined
}

function challengeError(message: string): EntraAuthError {
  return new EntraAuthError('ERR_AUTH_FAILED', `The ${NAME} agent's challenge was refused: ${message}`, {
    hint: 'Run as a member of the local "himds" group (Linux) or Administrators (Windows), and check that the Azure Connected Machine agent is healthy (azcmagent show).',
  })
}

/** Checks the challenge's key file as the agent promises it and returns its content. */
function readKeyFile(header: string | undefined, env: Env, files: ArcFiles): string {
  const realm = header?.match(/^\s*Basic\s+realm=([^,]+)\s*$/i)?.[1]?.trim()
  if (realm === undefined) throw challengeError('the 401 answer carries no "Basic realm=<key file>" header.')
  const folder = keyFolder(env, files.platform)
  const path = files.platform === 'win32' ? win32 : posix
  if (folder === undefined) throw challengeError(`${files.platform} is not a platform the agent supports.`)
  if (!path.isAbsolute(realm) || path.normalize(path.dirname(realm)).toLowerCase() !== path.normalize(folder).toLowerCase()) {
    throw challengeError(`the key file ${realm} is not in ${folder}.`)
  }
  if (path.extname(realm).toLowerCase() !== '.key') throw challengeError(`the key file ${realm} does not end in .key.`)
  const size = files.size(realm)
  if (size === undefined) throw challengeError(`the key file ${realm} cannot be read.`)
  if (size > MAX_KEY_FILE_BYTES) throw challengeError(`the key file ${realm} is ${size} bytes, more than ${MAX_KEY_FILE_BYTES}.`)
  return files.read(realm)
}

export function tryCreateAzureArc(env: Env, logger: Logger, files: ArcFiles): ManagedIdentitySource | undefined {
  let endpointText: string | undefined
  if (env.identityEndpoint !== undefined && env.imdsEndpoint !== undefined) endpointText = env.identityEndpoint
  else {
    const agent = agentPath(env, files.platform)
    if (agent !== undefined && files.exists(agent)) endpointText = DEFAULT_ENDPOINT
  }
  if (endpointText === undefined) {
    logger.debug(`${NAME}: IDENTITY_ENDPOINT and IMDS_ENDPOINT are not both set, and no agent is installed`)
    return undefined
  }
  const endpoint = parseEndpoint(endpointText, 'IDENTITY_ENDPOINT')
  return {
    name: NAME,
    unsupported: (identity) => (identity === undefined ? undefined : 'Arc-enabled servers have only a system-assigned identity'),
    async getToken(resource: string, identity: UserAssignedIdentity | undefined, context) {
      const url = withQuery(endpoint, { 'api-version': '2020-06-01', resource })
      const challenge = await sendWithRetry(NAME, { method: 'GET', url, headers: { Metadata: 'true' } }, context)
      if (challenge.status !== 401) return readManagedIdentityResponse(challenge, NAME, identity, context.clock.now())
      const key = readKeyFile(challenge.headers['www-authenticate'], env, files)
      const response = await sendWithRetry(NAME, { method: 'GET', url, headers: { Metadata: 'true', Authorization: `Basic ${key}` } }, context)
      return readManagedIdentityResponse(response, NAME, identity, context.clock.now())
    },
  }
}
