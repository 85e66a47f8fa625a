// The browser sign-in (docs/entra-protocol.md §2.6 "Grant: authorization_code with PKCE"; RFC 6749 4.1, RFC 7636, RFC 8252): authorization code with PKCE through
// the system browser and a loopback redirect. Loaded only when a request asks for it.

import { decodeJwt } from 'jose'
import type { Env } from '../../config/env.js'
import { CredentialUnavailableError, EntraAuthError } from '../../errors.js'
import { validateClientId } from '../../oauth/authority.js'
import type { HintContext } from '../../oauth/errorHints.js'
import { createPkce, randomToken } from '../../oauth/pkce.js'
import { OFFLINE_ACCESS } from '../../oauth/scopes.js'
import { grantFailure, sendGrant, type TokenEndpointDeps } from '../../oauth/tokenEndpoint.js'
import { parseTokenResponse, type AccessToken } from '../../oauth/tokenResponse.js'
import type { InteractiveRequest } from '../../protocol/request.js'
import { resolveTarget } from '../target.js'
import { authorizeEndpoint, authorizeUrl, readRedirect } from './authorizeRequest.js'
import type { Launched } from './launch.js'
import type { Redirect } from './loopbackListener.js'
import { chooseOpener, type BrowserOpener } from './openBrowser.js'
import { failurePage, successPage } from './pages.js'
import { nodeInteractiveSystem, type InteractiveSystem } from './system.js'

export interface InteractiveDeps extends TokenEndpointDeps {
  /** Tells the user at once that a browser opens, and the address to open by hand if none does. */
  prompt: (message: string) => void
  /** Keeps the code and the PKCE verifier out of every log line. */
  addSecret: (value: string) => void
  /** The request's redaction, for what the browser's page shows: a server's text may echo a secret. */
  redact: (text: string) => string
}

/** What MSAL adds to every interactive request: an id token (for the nonce) and a refresh token for the cache. */
const OIDC_SCOPES = ['openid', 'profile', OFFLINE_ACCESS]

function withOidcScopes(scopes: readonly string[]): string[] {
  return [...scopes, ...OIDC_SCOPES.filter((scope) => !scopes.includes(scope))]
}

function timedOut(timeoutSec: number): EntraAuthError {
  return new EntraAuthError('ERR_TIMEOUT', `No sign-in came back from the browser within -TimeoutSec ${timeoutSec} s.`, {
    hint: 'Finish the sign-in in the browser window sooner, or raise -TimeoutSec; where no browser window appears, use -DeviceCode.',
  })
}

function openerFailed(opener: BrowserOpener, reason: string): CredentialUnavailableError {
  return new CredentialUnavailableError(
    `No browser could be opened: ${opener.name} ${reason}.`,
    'Use -DeviceCode instead (it shows a code to enter on any device with a browser), or set ENTRAAUTH_BROWSER to a program that opens a URL.',
  )
}

/** Waits for the redirect, the deadline, or an opener that failed (exit code other than 0), whichever comes first. */
async function awaitRedirect(redirect: Promise<Redirect>, launched: Launched, opener: BrowserOpener, timeoutSec: number): Promise<Redirect> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut(timeoutSec)), timeoutSec * 1000)
  })
  const failed = launched.exited.then((code) => (code !== 0 && code !== null ? Promise.reject(openerFailed(opener, `ended with exit code ${code}`)) : new Promise<never>(() => undefined)))
  try {
    return await Promise.race([redirect, deadline, failed])
  } finally {
    clearTimeout(timer)
  }
}

/** OIDC Core 3.1.3.7: the id token must carry the nonce this sign-in sent (it came straight from the token endpoint over TLS). */
function checkNonce(body: string, nonce: string, endpoint: string): void {
  let idToken: unknown
  try {
    idToken = (JSON.parse(body) as Record<string, unknown>).id_token
  } catch {
    return // parseTokenResponse reports the body
  }
  if (typeof idToken !== 'string') {
    throw new EntraAuthError('ERR_INVALID_RESPONSE', `${endpoint} answered the sign-in without an id_token, though openid was asked for.`, { hint: 'Check -AuthorityHost: it must be an Entra login host.' })
  }
  let claimed: unknown
  try {
    claimed = decodeJwt(idToken).nonce
  } catch {
    claimed = undefined
  }
  if (claimed !== nonce) {
    throw new EntraAuthError('ERR_INVALID_RESPONSE', "The id_token of the sign-in does not carry this sign-in's nonce, so the answer was refused.", { hint: 'Run the command again; if this repeats, check -AuthorityHost and any proxy in between.' })
  }
}

/**
 * Opens the sign-in page in the browser, waits on the loopback redirect for the code, and redeems it with the PKCE
 * verifier. The listener answers exactly once and is closed on every way out (answer, error, timeout); Ctrl+C ends
 * the core, which closes it too.
 * @throws EntraAuthError ERR_INVALID_REQUEST and ERR_CREDENTIAL_UNAVAILABLE (no browser here) before anything listens;
 *   ERR_STATE_MISMATCH, ERR_SIGN_IN_DECLINED, ERR_AUTH_FAILED (error= redirects, AADSTS codes), ERR_TIMEOUT, ERR_NETWORK, …
 */
export async function acquireTokenInteractively(request: InteractiveRequest, env: Env, deps: InteractiveDeps, system: InteractiveSystem = nodeInteractiveSystem): Promise<AccessToken> {
  const target = resolveTarget(request, env, true)
  const clientId = validateClientId(request.clientId, 'for a browser sign-in (a public client with the redirect URI http://localhost)')
  const scopes = withOidcScopes(target.scopes)
  const opener = chooseOpener(env, system.platform, request.browserUnavailable)
  const hintContext: HintContext = { tenant: target.tenant, clientId, scopes: target.scopes, interactive: true }
  const pkce = createPkce()
  const state = randomToken()
  const nonce = randomToken()
  deps.addSecret(pkce.verifier)

  const listener = await system.openListener()
  let redirect: Redirect | undefined
  try {
    const url = authorizeUrl({
      endpoint: authorizeEndpoint(target.endpoint),
      clientId,
      redirectUri: listener.redirectUri,
      scopes,
      state,
      nonce,
      codeChallenge: pkce.challenge,
      prompt: request.prompt,
      loginHint: request.loginHint?.trim(),
      correlationId: request.correlationId,
    })
    deps.logger.verbose(`interactive: listening on ${listener.redirectUri} (${listener.addresses.join(' and ')}), opening the sign-in page with ${opener.name}`)
    deps.prompt(`Sign in with the browser window that opens now (EntraAuth waits up to ${target.timeoutSec} s; Ctrl+C cancels). If none opens, open this page on this machine: ${url}`)
    let launched: Launched
    try {
      launched = await system.launch(opener.command, opener.args, url)
    } catch (error) {
      const code = (error as { code?: unknown }).code
      throw openerFailed(opener, `could not be started (${typeof code === 'string' ? code : 'error'})`)
    }
    redirect = await awaitRedirect(listener.redirect, launched, opener, target.timeoutSec)
    const code = readRedirect(redirect.params, state, hintContext)
    deps.addSecret(code)

    const form = new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: listener.redirectUri, code_verifier: pkce.verifier, scope: scopes.join(' ') })
    const grant = { endpoint: target.endpoint, form, timeoutSec: target.timeoutSec, correlationId: request.correlationId, hintContext }
    const answer = await sendGrant(grant, deps)
    if (answer.response.status !== 200) throw grantFailure(answer, grant)
    checkNonce(answer.response.body, nonce, target.endpoint)
    const token = parseTokenResponse(answer.response, answer.requestedAt, target.endpoint)
    await redirect.respond(successPage())
    return token
  } catch (error) {
    if (redirect !== undefined) await redirect.respond(failurePage(error instanceof EntraAuthError ? deps.redact(error.message) : 'EntraAuth failed unexpectedly.'))
    throw error
  } finally {
    await listener.close()
  }
}
