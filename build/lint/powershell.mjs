// `npm run lint:ps`: the PowerShell format gate. Every .ps1/.psm1/.psd1 under module/ and test/pester/ is ASCII (Windows
// PowerShell 5.1 reads a file without BOM in the ANSI code page), has LF line ends, no tabs, no trailing blanks, a final
// newline, and lines of at most 120 characters. Lines that were longer before the gate existed are counted per file in
// build/lint/powershell-long-lines.json: a file may only get fewer of them (the gate says when to lower its count).

import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const MAX_LINE = 120
export const FOLDERS = ['module', 'test/pester']
const EXTENSIONS = ['.ps1', '.psm1', '.psd1']
const BASELINE = 'build/lint/powershell-long-lines.json'

/**
 * @param {string} root
 * @param {string} folder
 * @returns {string[]}
 */
function scripts(root, folder) {
  const dir = join(root, folder)
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && EXTENSIONS.some((ext) => entry.name.endsWith(ext)))
    .map((entry) =>
      relative(root, join(entry.parentPath ?? entry.path, entry.name))
        .split('\\')
        .join('/'),
    )
    .filter((path) => !path.startsWith('module/bin/'))
    .sort()
}

/**
 * The format problems of one file's text, each `{ line, rule, message }`; long lines are returned apart, as
 * `longLines` (line numbers), since the baseline may allow some.
 * @param {string} text
 */
export function checkText(text) {
  /** @type {{ line: number, rule: string, message: string }[]} */
  const problems = []
  /** @type {number[]} */
  const longLines = []
  if (text.includes('\r'))
    problems.push({
      line: text.slice(0, text.indexOf('\r')).split('\n').length,
      rule: 'line-ends',
      message: 'CR found: use LF line ends',
    })
  if (text.length > 0 && !text.endsWith('\n'))
    problems.push({
      line: text.split('\n').length,
      rule: 'final-newline',
      message: 'no newline at the end of the file',
    })
  const lines = text.replace(/\r/g, '').split('\n')
  lines.forEach((line, index) => {
    const number = index + 1
    const foreign = /[^\x00-\x7f]/.exec(line)
    if (foreign)
      problems.push({
        line: number,
        rule: 'ascii',
        message: `non-ASCII character U+${(foreign[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} at column ${foreign.index + 1}`,
      })
    if (line.includes('\t')) problems.push({ line: number, rule: 'tabs', message: 'tab character: indent with spaces' })
    if (/[ \t]+$/.test(line)) problems.push({ line: number, rule: 'trailing-blank', message: 'trailing blanks' })
    if ([...line].length > MAX_LINE) longLines.push(number)
  })
  return { problems, longLines }
}

/**
 * Checks every PowerShell file under FOLDERS of `root` against the rules and the baseline.
 * @param {string} root
 * @param {Record<string, number>} [baseline]
 * @returns `{ errors: string[], notes: string[] }`; errors fail the gate, notes say where a baseline count can drop
 */
export function lintPowerShell(root, baseline = readBaseline(root)) {
  const errors = []
  const notes = []
  const seen = new Set()
  for (const path of FOLDERS.flatMap((folder) => scripts(root, folder))) {
    seen.add(path)
    const { problems, longLines } = checkText(readFileSync(join(root, path), 'utf8'))
    for (const problem of problems) errors.push(`${path}:${problem.line}: ${problem.message} (${problem.rule})`)
    const allowed = baseline[path] ?? 0
    if (longLines.length > allowed) {
      const what =
        allowed === 0
          ? 'none are allowed'
          : `${BASELINE} allows ${allowed} (lines longer before the gate); shorten the new ones`
      errors.push(
        `${path}: ${longLines.length} lines over ${MAX_LINE} characters (lines ${longLines.join(', ')}); ${what} (line-length)`,
      )
    } else if (longLines.length < allowed) {
      notes.push(
        `${path}: ${longLines.length} lines over ${MAX_LINE} characters, ${BASELINE} allows ${allowed}: lower it to ${longLines.length}`,
      )
    }
  }
  for (const path of Object.keys(baseline))
    if (!seen.has(path)) notes.push(`${path} is gone: remove it from ${BASELINE}`)
  return { errors, notes }
}

/**
 * @param {string} root
 * @returns {Record<string, number>}
 */
export function readBaseline(root) {
  const path = join(root, BASELINE)
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const { errors, notes } = lintPowerShell(root)
  for (const note of notes) process.stderr.write(`note: ${note}\n`)
  for (const error of errors) process.stderr.write(`${error}\n`)
  const count = FOLDERS.flatMap((folder) => scripts(root, folder)).length
  process.stderr.write(`PowerShell format: ${count} files, ${errors.length} problems.\n`)
  process.exitCode = errors.length > 0 ? 1 : 0
}
