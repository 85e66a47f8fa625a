// Whether text has the shape of a signed JWT (RFC 7519 section 7.2): checked before a token read from a file is sent.

const BASE64URL_PART = /^[A-Za-z0-9_-]+$/

/**
 * True for three non-empty base64url parts joined by dots whose first part is a JSON object with a string `alg`.
 * Says nothing about the signature or the claims (Entra checks those); it stops sending a file that is no token.
 */
export function isJwtShaped(text: string): boolean {
  const parts = text.split('.')
  if (parts.length !== 3 || !parts.every((part) => BASE64URL_PART.test(part))) return false
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString('utf8'))
    return (
      typeof header === 'object' &&
      header !== null &&
      !Array.isArray(header) &&
      typeof (header as { alg?: unknown }).alg === 'string'
    )
  } catch {
    return false
  }
}
