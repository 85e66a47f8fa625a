// Last line of defence for anything the core writes: removes secrets, JWTs and credential fields from text values.

const REDACTED = 'REDACTED'

/** Three base64url segments starting with `eyJ`: a JWT (access token, id token, assertion). */
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g
/** Form or JSON fields that carry credentials. */
const FIELD_PATTERN =
  /((?:client_secret|refresh_token|access_token|client_assertion|id_token|device_code|password)["']?\s*[=:]\s*["']?)[^&"'\s,}]+/gi
/** An Authorization header value. */
const AUTH_HEADER_PATTERN = /(\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}/g
/** A PEM private key block, or what is left of one that was cut short. */
const PEM_KEY_PATTERN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g
/** Lines of a multi-line secret (a PEM key) at least this long are secrets of their own. */
const MIN_SECRET_LINE = 16

/**
 * Holds the secret values of the current request, so they can be removed from any text. It works on values
 * (a log message, each string of an envelope) before they become JSON, never inside JSON text: JSON escaping
 * changes a secret's `"`, `\\`, tabs and line breaks, and a replacement could break the document.
 */
export class Redactor {
  readonly #secrets = new Set<string>()
  /** The secrets longest first, so that a secret inside another does not leave the rest of the longer one. */
  #ordered: string[] | undefined

  /** Registers a value that must never appear in output, along with its URL-encoded forms. */
  addSecret(value: string | undefined): void {
    if (value === undefined || value.length < 4) return
    this.#ordered = undefined
    this.#secrets.add(value)
    this.#secrets.add(encodeURIComponent(value))
    this.#secrets.add(new URLSearchParams({ v: value }).toString().slice(2))
    // As a server's JSON body quotes it, for a text that carries such a body verbatim.
    this.#secrets.add(JSON.stringify(value).slice(1, -1))
    // A key's base64 lines, so that no part of it shows.
    const lines = value.split(/\r?\n/)
    if (lines.length > 1) for (const line of lines) if (line.trim().length >= MIN_SECRET_LINE) this.#secrets.add(line.trim())
  }

  /** One text with every secret, PEM key, JWT, credential field and Authorization value replaced. */
  redact(text: string): string {
    this.#ordered ??= [...this.#secrets].sort((a, b) => b.length - a.length)
    let result = text
    for (const secret of this.#ordered) result = result.split(secret).join(REDACTED)
    return result
      .replace(PEM_KEY_PATTERN, REDACTED)
      .replace(JWT_PATTERN, REDACTED)
      .replace(FIELD_PATTERN, `$1${REDACTED}`)
      .replace(AUTH_HEADER_PATTERN, `$1${REDACTED}`)
  }

  /** A copy of a JSON-shaped value (an envelope) with every string in it redacted; keys are kept. */
  redactValue<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T
    if (Array.isArray(value)) return value.map((item: unknown) => this.redactValue(item)) as T
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.redactValue(item)])) as T
    }
    return value
  }
}
