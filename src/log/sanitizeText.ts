// Makes text that came from a server safe to show a person: no terminal control sequences, no bidi overrides, bounded.

/**
 * Terminal strings that carry a payload (OSC: titles, hyperlinks, clipboard writes with OSC 52; DCS, SOS, PM, APC),
 * in their 7-bit (ESC ]) and 8-bit (U+009D) forms, up to their terminator (BEL or ST) or the end of the text.
 * The payload goes with them: a hyperlink's hidden target or a clipboard write must not show up as text either.
 * An ESC also ends one, so the match never backtracks: linear in the text.
 */
const STRING_SEQUENCE = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c|(?=\x1b)|$)/g
/** Control sequences (CSI: colours, cursor moves, screen clearing), 7-bit and 8-bit, and any other ESC + one character. */
const CONTROL_SEQUENCE = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?|\x1b[\x20-\x2f]*[\x30-\x7e]?/g
/** C0 controls but tab and line feed, DEL, C1 controls. */
const CONTROL_CHARACTER = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g
/** Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the marks (LRM, RLM, ALM). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g

/** Longest server text shown: Entra's descriptions with their trace lines stay well below it. */
export const MAX_SERVER_TEXT = 2000

export interface SanitizeOptions {
  /** Keep line feeds (a multi-line message); otherwise each becomes a space. Default false. */
  keepNewlines?: boolean
  /** Most characters kept; default MAX_SERVER_TEXT. */
  maxLength?: number
}

/**
 * Removes what a terminal would act on instead of show, and cuts the text to a length a person reads.
 * A carriage return becomes a line feed (CRLF one); tabs stay.
 */
export function sanitizeServerText(text: string, options: SanitizeOptions = {}): string {
  const maxLength = options.maxLength ?? MAX_SERVER_TEXT
  let clean = text
    .replace(STRING_SEQUENCE, '')
    .replace(CONTROL_SEQUENCE, '')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL_CHARACTER, '')
    .replace(BIDI_CONTROL, '')
  if (options.keepNewlines !== true) clean = clean.replace(/\n/g, ' ')
  if (clean.length <= maxLength) return clean
  let cut = clean.slice(0, maxLength)
  // Never end on half of a surrogate pair.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1)
  return `${cut}${TRUNCATION_MARK} (${clean.length - cut.length} more characters)`
}

/** What ends a text that `sanitizeServerText` cut short: the mark, then how much was left out (maybe quoted in another text). */
const TRUNCATION_MARK = '…'
export const TRUNCATION_TAIL = /… \(\d+ more characters\)/g
