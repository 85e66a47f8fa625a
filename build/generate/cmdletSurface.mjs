// Writes the public cmdlets' parameter blocks (with each parameter's help as the comment above it) and the table of
// docs/parameters.md from build/generate/cmdletParameters.mjs, between markers; everything else stays hand-written.
// `node build/generate/cmdletSurface.mjs` rewrites the files; `--check` only says which ones are stale.

import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CMDLETS, CREDENTIAL_CMDLETS, PARAMETERS } from './cmdletParameters.mjs'

/** @typedef {import('./cmdletParameters.mjs').ParameterSource} ParameterSource */

const WIDTH = 120
export const SOURCE = 'build/generate/cmdletParameters.mjs'
/** The whole param block of a cmdlet of CMDLETS. */
const PARAM_BEGIN = /^([ \t]*)# <generated:parameters>.*$/m
const PARAM_END = /^[ \t]*# <\/generated:parameters>[ \t]*$/m
/** The credential parameters inside another cmdlet's hand-written param block. */
const CREDENTIAL_BEGIN = /^([ \t]*)# shared credential parameters: begin.*$/m
const CREDENTIAL_END = /^[ \t]*# shared credential parameters: end[ \t]*$/m
const TABLE_BEGIN = '<!-- generated:parameters begin -->'
const TABLE_END = '<!-- generated:parameters end -->'

/**
 * Words of `text` (whitespace collapsed) in lines of at most `width - prefix.length` characters, each after `prefix`.
 * @param {string} text
 * @param {string} prefix
 * @returns {string[]}
 */
export function wrap(text, prefix, width = WIDTH) {
  const room = width - prefix.length
  const lines = []
  let line = ''
  for (const word of text.trim().split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(prefix + line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  if (line !== '') lines.push(prefix + line)
  return lines
}

/** @param {import('./cmdletParameters.mjs').SetMembership} membership */
function parameterAttribute(membership) {
  const parts = []
  if (membership.mandatory) parts.push('Mandatory')
  if (membership.position !== undefined) parts.push(`Position = ${membership.position}`)
  parts.push(`ParameterSetName = '${membership.set}'`)
  return `[Parameter(${parts.join(', ')})]`
}

/**
 * One parameter as the param block declares it: help comment, attributes, type and name (no comma).
 * @param {ParameterSource} parameter
 * @param {string} cmdlet
 * @param {string} indent
 */
export function renderParameter(parameter, cmdlet, indent) {
  const help = parameter.helpFor?.[cmdlet] ?? parameter.help
  return [
    ...wrap(help, `${indent}# `),
    ...(parameter.sets ?? []).map((membership) => indent + parameterAttribute(membership)),
    ...(parameter.validation ?? []).map((attribute) => indent + attribute),
    `${indent}[${parameter.type}] $${parameter.name}`,
  ]
}

/** The parameters of `cmdlet`, separated as a param block wants them: a comma after each, a blank line between. */
/**
 * @param {ParameterSource[]} parameters
 * @param {string} cmdlet
 * @param {string} indent
 * @param {boolean} commaAfterLast
 */
function renderParameters(parameters, cmdlet, indent, commaAfterLast) {
  return parameters.flatMap((parameter, index) => {
    const lines = renderParameter(parameter, cmdlet, indent)
    const last = index === parameters.length - 1
    if (!last || commaAfterLast) lines[lines.length - 1] += ','
    if (!last) lines.push('')
    return lines
  })
}

/** @param {string} cmdlet */
export function parametersOf(cmdlet) {
  return PARAMETERS.filter((parameter) => (parameter.cmdlets ?? CMDLETS).includes(cmdlet))
}

/**
 * The shared parameters a cmdlet of CREDENTIAL_CMDLETS takes (any other cmdlet with the markers: the credential group),
 * with the parameter sets it leaves out removed.
 * @param {string} cmdlet
 * @returns {ParameterSource[]}
 */
export function credentialParametersOf(cmdlet) {
  const config = /** @type {Record<string, { withoutSets: string[], without: string[] }>} */ (CREDENTIAL_CMDLETS)[
    cmdlet
  ]
  if (config === undefined) return PARAMETERS.filter((parameter) => parameter.group === 'credential')
  return PARAMETERS.filter((parameter) => parameter.cmdlets === undefined && !config.without.includes(parameter.name))
    .map((parameter) => {
      if (parameter.sets === undefined) return parameter
      return { ...parameter, sets: parameter.sets.filter((membership) => !config.withoutSets.includes(membership.set)) }
    })
    .filter((parameter) => parameter.sets === undefined || parameter.sets.length > 0)
}

/**
 * The region's text between the begin and end marker lines of `text`, replaced by what `render` returns.
 * @param {string} text
 * @param {RegExp} begin
 * @param {RegExp} end
 * @param {(indent: string, rest: string) => string[]} render
 * @param {string} path
 * @returns {string | null}
 */
function replaceRegion(text, begin, end, render, path) {
  const start = begin.exec(text)
  if (start === null) return null
  const afterBegin = text.indexOf('\n', start.index) + 1
  const stop = end.exec(text.slice(afterBegin))
  if (stop === null) throw new Error(`${path}: "${start[0].trim()}" has no end marker.`)
  const endIndex = afterBegin + stop.index
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const lines = render(start[1] ?? '', text.slice(endIndex))
  return text.slice(0, afterBegin) + lines.map((line) => line + eol).join('') + text.slice(endIndex)
}

/**
 * A cmdlet file with its generated regions as the source makes them now.
 * @param {string} text
 * @param {string} cmdlet
 * @param {string} path
 */
export function renderCmdletFile(text, cmdlet, path) {
  let result = text
  if (CMDLETS.includes(cmdlet)) {
    const replaced = replaceRegion(
      result,
      PARAM_BEGIN,
      PARAM_END,
      (indent) => [
        `${indent}param(`,
        ...renderParameters(parametersOf(cmdlet), cmdlet, `${indent}    `, false),
        `${indent})`,
      ],
      path,
    )
    if (replaced === null) throw new Error(`${path}: no "# <generated:parameters>" marker before its param block.`)
    result = replaced
  }
  const credential = credentialParametersOf(cmdlet)
  const shared = replaceRegion(
    result,
    CREDENTIAL_BEGIN,
    CREDENTIAL_END,
    (indent, rest) => {
      // A comma after the last one when more parameters follow the end marker in the same param block.
      const following = /^[^\n]*\n([\s\S]*?)^[ \t]*\)/m.exec(rest)
      const more = following !== null && /\$\w/.test((following[1] ?? '').replace(/^[ \t]*#.*$/gm, ''))
      return ['', ...renderParameters(credential, cmdlet, indent, more), '']
    },
    path,
  )
  return shared ?? result
}

/** @param {string} text */
function markdownCell(text) {
  return text.replace(/\|/g, '\\|')
}

/** The row's position column: the positions the parameter has, "mandatory" when the default set needs it. */
/** @param {ParameterSource} parameter */
function tablePosition(parameter) {
  if (parameter.table.position) return parameter.table.position
  const positions = [...new Set((parameter.sets ?? []).filter((m) => m.position !== undefined).map((m) => m.position))]
  return positions.length > 0 ? positions.join(', ') : 'named'
}

/** @param {ParameterSource} parameter */
function tableType(parameter) {
  if (parameter.table.type) return parameter.table.type
  const values = /^\[ValidateSet\((.*)\)\]$/.exec((parameter.validation ?? [])[0] ?? '')
  if (values)
    return (values[1] ?? '')
      .split(',')
      .map((value) => `\`${value.trim().replace(/'/g, '')}\``)
      .join(', ')
  return parameter.type
}

/** The Markdown table of every parameter of the cmdlets, in param block order. */
export function renderParameterTable() {
  const rows = PARAMETERS.map(
    (parameter) =>
      `| \`-${parameter.name}\` | ${tablePosition(parameter)} | ${markdownCell(tableType(parameter))} | ${markdownCell(parameter.table.text)} |`,
  )
  return ['| Parameter | Position | Type | Meaning |', '|---|---|---|---|', ...rows]
}

/** @param {string} text */
export function renderParametersPage(text) {
  const start = text.indexOf(TABLE_BEGIN)
  const stop = text.indexOf(TABLE_END)
  if (start < 0 || stop < start) throw new Error(`docs/parameters.md: no "${TABLE_BEGIN}" ... "${TABLE_END}" region.`)
  const body = [`<!-- from ${SOURCE} by "npm run generate"; edit there, not here -->`, ...renderParameterTable()]
  return `${text.slice(0, start + TABLE_BEGIN.length)}\n${body.join('\n')}\n${text.slice(stop)}`
}

/**
 * Every file with a generated region: its path (relative to root), its text now, and the text the source makes.
 * @throws Error when a file of CMDLETS or docs/parameters.md lacks its markers
 * @param {string} root
 * @returns {{ path: string, actual: string, expected: string }[]}
 */
export function surfaceFiles(root) {
  const files = []
  const publicDir = join(root, 'module', 'public')
  for (const name of readdirSync(publicDir)
    .filter((file) => file.endsWith('.ps1'))
    .sort()) {
    const path = `module/public/${name}`
    const actual = readFileSync(join(root, path), 'utf8')
    const cmdlet = name.slice(0, -'.ps1'.length)
    if (!CMDLETS.includes(cmdlet) && !CREDENTIAL_BEGIN.test(actual)) continue
    files.push({ path, actual, expected: renderCmdletFile(actual, cmdlet, path) })
  }
  for (const cmdlet of CMDLETS) {
    if (!files.some((file) => file.path === `module/public/${cmdlet}.ps1`))
      throw new Error(`module/public/${cmdlet}.ps1 is missing.`)
  }
  const page = 'docs/parameters.md'
  const pageText = existsSync(join(root, page)) ? readFileSync(join(root, page), 'utf8') : ''
  files.push({ path: page, actual: pageText, expected: renderParametersPage(pageText) })
  return files
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const stale = surfaceFiles(root).filter((file) => file.actual !== file.expected)
  if (process.argv.includes('--check')) {
    for (const file of stale) process.stderr.write(`${file.path} differs from ${SOURCE}: run "npm run generate".\n`)
    process.exitCode = stale.length > 0 ? 1 : 0
  } else {
    for (const file of stale) {
      writeFileSync(join(root, file.path), file.expected)
      process.stderr.write(`generated ${file.path}\n`)
    }
  }
}
