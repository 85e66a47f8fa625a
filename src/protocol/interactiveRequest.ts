// Request fields of the interactive (browser) sign-in: authorization code with PKCE and a loopback redirect.

import { protocolError } from './protocolError.js'

export const INTERACTIVE_FLOWS = ['interactive'] as const

/** MSAL's prompt values; `none` is left out (it never shows a page, so it cannot help a first sign-in). */
export const INTERACTIVE_PROMPTS = ['select_account', 'login', 'consent'] as const
export type InteractivePrompt = (typeof INTERACTIVE_PROMPTS)[number]

/**
 * `tenantId` may be `organizations` or `common`; `clientId` is a public client with the redirect URI
 * `http://localhost` (the module picks a default by scope); `timeoutSec` bounds the whole sign-in.
 */
export interface InteractiveRequestFields {
  flow: 'interactive'
  loginHint?: string
  prompt?: InteractivePrompt
  /**
   * Set by the module when it sees that nobody can use a browser here (a remote PowerShell session, Azure
   * Automation, a non-interactive host): the reason. The core then refuses before listening, unless
   * ENTRAAUTH_BROWSER names an opener.
   */
  browserUnavailable?: string
}


/** @throws EntraAuthError ERR_PROTOCOL */
export function checkInteractiveFields(request: Record<string, unknown>): void {
  if (request.flow !== 'interactive') return
  for (const field of ['loginHint', 'browserUnavailable']) {
    if (request[field] !== undefined && typeof request[field] !== 'string') throw protocolError(`'${field}' must be a string.`)
  }
  if (request.prompt !== undefined && !(INTERACTIVE_PROMPTS as readonly unknown[]).includes(request.prompt)) {
    throw protocolError(`Unknown prompt '${String(request.prompt)}'.`)
  }
}
