// What the core accepts as the text of a request: UTF-8, with any byte order mark in front of it ignored.

import { protocolError } from './protocolError.js'

/**
 * U+FEFF, the UTF-8 byte order mark (EF BB BF) as the core's UTF-8 decoder reads it. .NET Framework's Process.Start
 * writes it to a redirected stdin when the console input code page is 65001 (Windows PowerShell 5.1 with "Use
 * Unicode UTF-8", `chcp 65001`, or `[Console]::InputEncoding` set to UTF-8).
 */
const UTF8_BOM = /^\uFEFF+/
/** What a UTF-16 text looks like through a UTF-8 decoder: its BOM (FF FE or FE FF) as two U+FFFD, or NUL bytes. */
const UTF16_SIGNS = /^\uFFFD\uFFFD|\u0000/

/** The text without the byte order marks in front of it. @throws EntraAuthError ERR_PROTOCOL for UTF-16 text */
export function requestText(text: string): string {
  const stripped = text.replace(UTF8_BOM, '')
  if (UTF16_SIGNS.test(stripped)) {
    throw protocolError(
      'A request on stdin is UTF-16 (a byte order mark FF FE or FE FF, or NUL bytes); the EntraAuth core reads UTF-8.',
      undefined,
      'The module writes UTF-8 bytes: reinstall the EntraAuth module, and write requests to the core as UTF-8 without anything in front of them.',
    )
  }
  return stripped
}
