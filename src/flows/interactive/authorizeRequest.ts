// The authorize leg of the browser sign-in (docs/entra-protocol.md §2.6 "Grant: authorization_code with PKCE"): the URL the browser opens, and reading the redirect back.

import { AuthenticationError, EntraAuthError, type OAuthErrorBody } from '../../errors.js'
import { hintFor, type HintContext } from '../../oauth/errorHints.js'
import type { InteractivePrompt } from '../../protocol/interactiveRequest.js'

export interface AuthorizeParameters {
  /** `https://<host>/<tenant>/oauth2/v2.0/authorize` */
  endpoint: string
  clientId: string
  redirectUri: string
  scopes: readonly string[]
  state: string
  nonce: string
  codeChallenge: string
  prompt?: InteractivePrompt | undefined
  loginHint?: string | undefined
  correlationId?: string | undefined
}

/** The token endpoint's sibling: `…/oauth2/v2.0/token` → `…/oauth2/v2.0/authorize`. */
export function authorizeEndpoint(tokenEndpoint: string): string {
  return tokenEndpoint.replace(/\/token$/, '/authorize')
}

/** The authorize URL with the parameters MSAL sends (msal-common Authorize.ts); it holds no secret. */
export function authorizeUrl(p: AuthorizeParameters): string {
  const url = new URL(p.endpoint)
  const query = url.searchParams
  query.set('client_id', p.clientId)
  query.set('response_type', 'code')
  query.set('redirect_uri', p.redirectUri)
  query.set('response_mode', 'query')
  query.set('scope', p.scopes.join(' '))
  query.set('state', p.state)
  query.set('nonce', p.nonce)
  query.set('code_challenge', p.codeChallenge)
  query.set('code_challenge_method', 'S256')
  if (p.prompt !== undefined) query.set('prompt', p.prompt)
  if (p.loginHint !== undefined && p.loginHint !== '') query.set('login_hint', p.loginHint)
  if (p.correlationId !== undefined) query.set('client-request-id', p.correlationId)
  return url.toString()
}

/** Entra's `error`/`error_description` of a redirect, shaped as its JSON error body is (AADSTS code from the text). */
function redirectError(params: URLSearchParams): OAuthErrorBody {
  const error = params.get('error') ?? 'unknown_error'
  const description = params.get('error_description') ?? undefined
  const code = description?.match(/AADSTS(\d+)/)?.[1]
  const oauth: OAuthErrorBody = { error }
  if (description !== undefined) oauth.errorDescription = description
  if (code !== undefined) {
    oauth.errorCodes = [Number(code)]
    oauth.aadsts = `AADSTS${code}`
  }
  for (const [field, key] of [['trace_id', 'traceId'], ['correlation_id', 'correlationId']] as const) {
    const value = params.get(field)
    if (value !== null && value !== '') oauth[key] = value
  }
  return oauth
}

function firstSentence(description: string): string {
  return description.split(/\r?\n|\s+Trace ID:/)[0]?.trim() ?? description
}

/**
 * The authorization code of a redirect, after checking its state.
 * @throws EntraAuthError ERR_STATE_MISMATCH (another state: not the answer to this sign-in), ERR_SIGN_IN_DECLINED
 *   (access_denied, or AADSTS65004), ERR_AUTH_FAILED (any other error=, with the hint for its AADSTS code)
 */
export function readRedirect(params: URLSearchParams, expectedState: string, context: HintContext): string {
  if (params.get('state') !== expectedState) {
    throw new EntraAuthError('ERR_STATE_MISMATCH', 'The browser came back to EntraAuth with a state that this sign-in did not send, so the answer was refused.', {
      hint: 'Run the command again and finish the sign-in in the window it opens; if this repeats, something on this machine is sending forged answers to the loopback port.',
    })
  }
  if (params.has('error')) {
    const oauth = redirectError(params)
    const what = oauth.errorDescription === undefined ? oauth.error : firstSentence(oauth.errorDescription)
    const hint = hintFor(oauth.errorCodes, oauth.error, context)
    const options = { status: 400, oauth, ...(hint === undefined ? {} : { hint }) }
    if (oauth.error === 'access_denied' || oauth.errorCodes?.includes(65004) === true) {
      return declined(what, options)
    }
    throw new AuthenticationError(`Entra refused the sign-in: ${what}`, options)
  }
  const code = params.get('code')
  if (code === null || code === '') {
    throw new EntraAuthError('ERR_INVALID_RESPONSE', 'The browser came back without an authorization code.', { hint: 'Run the command again.' })
  }
  return code
}

function declined(what: string, options: { status: number; oauth: OAuthErrorBody; hint?: string }): never {
  throw new EntraAuthError('ERR_SIGN_IN_DECLINED', `The sign-in was declined in the browser: ${what}`, {
    ...options,
    hint: options.hint ?? 'Run the command again and accept the sign-in and consent; if you may not consent, ask an administrator to grant admin consent for the app.',
  })
}
