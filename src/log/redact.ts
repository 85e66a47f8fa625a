// Last line of defence for anything written to stderr: removes secrets, JWTs and credential fields.

const REDACTED = 'REDACTED'

/** Three base64url segments starting with `eyJ`: a JWT (access token, id token, assertion). */
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g
/** Form or JSON fields that carry credentials. */
const FIELD_PATTERN =
  /((?:client_secret|refresh_token|access_token|client_assertion|id_token|device_code|password)["']?\s*[=:]\s*["']?)[^&"'\s,}]+/gi
/** An Authorization header value. */
const AUTH_HEADER_PATTERN = /(\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}/g

/** Holds the secret values of the current request, so they can be removed from any text. */
export class Redactor {
  readonly #secrets = new Set<string>()

  /** Registers a value that must never appear in output, along with its URL-encoded forms. */
  addSecret(value: string | undefined): void {
    if (value === undefined || value.length < 4) return
    this.#secrets.add(value)
    this.#secrets.add(encodeURIComponent(value))
    this.#secrets.add(new URLSearchParams({ v: value }).toString().slice(2))
  }

  redact(text: string): string {
    let result = text
    for (const secret of this.#secrets) result = result.split(secret).join(REDACTED)
    return result
      .replace(JWT_PATTERN, REDACTED)
      .replace(FIELD_PATTERN, `$1${REDACTED}`)
      .replace(AUTH_HEADER_PATTERN, `$1${REDACTED}`)
  }
}
