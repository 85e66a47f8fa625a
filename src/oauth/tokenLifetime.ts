// Which token lifetimes the core believes: a whole number of seconds above zero and below a bound, else a clear error.

import { EntraAuthError } from '../errors.js'

/**
 * The longest lifetime a token may claim. Entra's longest are continuous access evaluation tokens (up to 28 hours)
 * and managed identity tokens (24 hours); a week leaves room and still turns a broken or hostile answer (say
 * `expires_in: 1e20`, which no date can hold) into an error instead of a crash.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600

/**
 * The shortest lifetime a token may claim. The module renews a token at half its lifetime at the earliest, so this
 * is also the floor of renewal: one credential never asks for a token more than once per 2.5 s, whatever an
 * endpoint says. Entra's shortest configurable lifetime is 10 minutes; tests use tokens of a few seconds.
 */
export const MIN_TOKEN_LIFETIME_SECONDS = 5

/**
 * Checks a lifetime an endpoint claims. A token that expires at once (less than 5 s) or whose lifetime is not a finite
 * whole number cannot be used and would be renewed at every use; one that claims more than a week is not believed.
 * @param seconds what the endpoint said, already read as a number (undefined when it said nothing usable)
 * @param what names the endpoint and field for the message, e.g. "https://login… answered expires_in"
 * @throws EntraAuthError ERR_INVALID_RESPONSE
 */
export function checkTokenLifetime(seconds: number, what: string, status: number, hint: string): number {
  if (Number.isInteger(seconds) && seconds >= MIN_TOKEN_LIFETIME_SECONDS && seconds <= MAX_TOKEN_LIFETIME_SECONDS)
    return seconds
  const why = !Number.isFinite(seconds)
    ? 'which is not a number of seconds'
    : seconds <= 0
      ? 'so the token is expired already'
      : seconds < MIN_TOKEN_LIFETIME_SECONDS && Number.isInteger(seconds)
        ? `less than the ${MIN_TOKEN_LIFETIME_SECONDS} s a token must live to be used and renewed in time`
        : seconds > MAX_TOKEN_LIFETIME_SECONDS
          ? `more than the ${MAX_TOKEN_LIFETIME_SECONDS} s (7 days) any Entra token lives`
          : 'which is not a whole number of seconds'
  throw new EntraAuthError(
    'ERR_INVALID_RESPONSE',
    `${what} ${Number.isFinite(seconds) ? seconds : String(seconds)} s, ${why}.`,
    { status, hint },
  )
}

/** Entra's `refresh_in` (renew from then on), kept only when it falls inside the token's lifetime. */
export function usableRefreshIn(refreshIn: number | undefined, lifetimeSeconds: number): number | undefined {
  return refreshIn !== undefined && Number.isFinite(refreshIn) && refreshIn > 0 && refreshIn < lifetimeSeconds
    ? refreshIn
    : undefined
}
