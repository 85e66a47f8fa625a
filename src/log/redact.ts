// Last line of defence for anything the core writes: removes secrets, JWTs and credential fields from text values.

import { sanitizeServerText, TRUNCATION_TAIL } from './sanitizeText.js'

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
/** The shortest start of a secret that is removed where a text was cut short right after it. */
const MIN_SECRET_PREFIX = 8

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
    // As the sanitiser leaves it in a server's text (errors are cleaned where they are made, before redaction):
    // carriage returns as line feeds, control characters gone, and, on one line, line feeds as spaces.
    for (const keepNewlines of [true, false]) {
      const shown = sanitizeServerText(value, { keepNewlines, maxLength: Number.MAX_SAFE_INTEGER })
      if (shown.length >= 4) this.#secrets.add(shown)
    }
    // A key's base64 lines, so that no part of it shows.
    const lines = value.split(/\r?\n/)
    if (lines.length > 1)
      for (const line of lines) if (line.trim().length >= MIN_SECRET_LINE) this.#secrets.add(line.trim())
  }

  /**
   * One text with every secret, PEM key, JWT, credential field and Authorization value replaced. A text that the
   * sanitiser cut short loses the start of a secret it ends with too (a long secret echoed by a server).
   */
  redact(text: string): string {
    this.#ordered ??= [...this.#secrets].sort((a, b) => b.length - a.length)
    let result = text
    for (const secret of this.#ordered) result = result.split(secret).join(REDACTED)
    result = this.#redactCutSecret(result)
    return result
      .replace(PEM_KEY_PATTERN, REDACTED)
      .replace(JWT_PATTERN, REDACTED)
      .replace(FIELD_PATTERN, `$1${REDACTED}`)
      .replace(AUTH_HEADER_PATTERN, `$1${REDACTED}`)
  }

  /** The text with a secret's start removed wherever it runs into the sanitiser's truncation tail. */
  #redactCutSecret(text: string): string {
    let result = ''
    let from = 0
    for (const tail of text.matchAll(TRUNCATION_TAIL)) {
      result += this.#redactCutEnd(text.slice(from, tail.index)) + tail[0]
      from = tail.index + tail[0].length
    }
    return result + text.slice(from)
  }

  /** A part of a text that ends where the sanitiser cut it, without the start of a secret at its end. */
  #redactCutEnd(head: string): string {
    for (const secret of this.#ordered ?? []) {
      for (let length = Math.min(secret.length - 1, head.length); length >= MIN_SECRET_PREFIX; length--) {
        if (head.endsWith(secret.slice(0, length))) return `${head.slice(0, head.length - length)}${REDACTED}`
      }
    }
    return head
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
