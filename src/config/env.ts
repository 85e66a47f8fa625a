// The only reader of process.env: returns a typed, frozen snapshot that the rest of the core is given.

import { ENV_VARS } from './constants.js'

export interface Env {
  readonly authorityHost: string | undefined
  readonly httpsProxy: string | undefined
  readonly httpProxy: string | undefined
  readonly noProxy: string | undefined
}

function firstSet(source: NodeJS.ProcessEnv, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = source[name]
    if (value !== undefined && value.trim() !== '') return value.trim()
  }
  return undefined
}

/** Reads the variables the core honours. Tests pass their own `source`. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return Object.freeze({
    authorityHost: firstSet(source, [ENV_VARS.authorityHost]),
    httpsProxy: firstSet(source, ENV_VARS.httpsProxy),
    httpProxy: firstSet(source, ENV_VARS.httpProxy),
    noProxy: firstSet(source, ENV_VARS.noProxy),
  })
}
