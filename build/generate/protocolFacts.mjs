// Writes the module's side of the protocol table (src/protocol/protocol.json): module/private/generated/ProtocolFacts.ps1
// and the generated tables of docs/protocol.md. `--check` writes nothing and fails when either is stale.

import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
export const TABLE_PATH = 'src/protocol/protocol.json'
export const SCRIPT_PATH = 'module/private/generated/ProtocolFacts.ps1'
export const DOC_PATH = 'docs/protocol.md'
const BEGIN = '<!-- generated:protocol begin -->'
const END = '<!-- generated:protocol end -->'

/** The table as parsed JSON. */
export function readTable() {
  return JSON.parse(readFileSync(`${root}${TABLE_PATH}`, 'utf8'))
}

/** A PowerShell single-quoted string literal. */
function quote(text) {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`Only printable ASCII goes into the module's scripts: ${JSON.stringify(text)}`)
  return `'${text.replace(/'/g, "''")}'`
}

function list(values) {
  return `@(${values.map(quote).join(', ')})`
}

/** The text of module/private/generated/ProtocolFacts.ps1. */
export function renderScript(table) {
  const errors = Object.entries(table.errors)
  const width = Math.max(...errors.map(([code]) => code.length))
  const fields = Object.entries(table.requestFields)
  const secretParameters = fields.filter(([, spec]) => spec.secret && spec.parameter).map(([, spec]) => spec.parameter)
  const d = table.defaults
  return [
    `# GENERATED from ${TABLE_PATH} by build/generate/protocolFacts.mjs (npm run build): do not edit; a test fails when stale.`,
    '# The module side of the protocol table: what the core reads from the same file.',
    '',
    '# The version the request writer puts in every request; the core refuses any other.',
    `$script:EntraAuthProtocolVersion = ${table.protocolVersion}`,
    '',
    '# The PowerShell ErrorCategory of each EntraAuth.<code> (core and module codes).',
    '$script:EntraAuthErrorCategories = @{',
    ...errors.map(([code, spec]) => `    ${code.padEnd(width)} = [System.Management.Automation.ErrorCategory]::${spec.category}`),
    '}',
    '',
    '# The request fields the core accepts (any other is ERR_PROTOCOL): the request writer sends no other.',
    `$script:EntraAuthRequestFields = ${list(fields.map(([name]) => name))}`,
    '# The cmdlet parameters the secret fields come from: kept as SecureString for renewals.',
    `$script:EntraAuthSecretParameters = ${list(secretParameters)}`,
    '',
    '# Defaults and limits both sides apply.',
    `$script:EntraAuthDefaultTimeoutSec = ${d.timeoutSec}`,
    `$script:EntraAuthOfflineAccessScope = ${quote(d.offlineAccessScope)}`,
    `$script:EntraAuthCoreIdleDefaultSec = ${d.coreIdleSec}`,
    `$script:EntraAuthCoreIdleMaxSec = ${d.coreIdleMaxSec}`,
    `$script:EntraAuthCertificateFileMaxBytes = ${d.certificateFileMaxBytes}`,
    '# The token facts line says minutes from this many seconds left on, seconds below.',
    `$script:EntraAuthTokenFactsMinutesFromSec = ${d.tokenFactsMinutesFromSec}`,
    '',
    '# Scopes of Microsoft Graph (any cloud): the default public client for -DeviceCode and -Interactive is Graph\'s.',
    `$script:EntraAuthGraphScopePattern = ${quote(table.graphScopePattern)}`,
    '',
  ].join('\n')
}

function row(cells) {
  return `| ${cells.map((cell) => String(cell).replace(/\|/g, '\\|')).join(' | ')} |`
}

function fieldTable(fields) {
  return [
    row(['Field', 'Type', 'Required', 'Secret', 'Meaning']),
    row(['---', '---', '---', '---', '---']),
    ...Object.entries(fields).map(([name, spec]) => row([`\`${name}\``, spec.type, spec.required ? 'yes' : '', spec.secret ? 'yes' : '', spec.text])),
  ]
}

/** The generated part of docs/protocol.md, markers included. */
export function renderDocTables(table) {
  const lines = [BEGIN, `<!-- From ${TABLE_PATH} by build/generate/protocolFacts.mjs: edit the table, then npm run build. -->`, '']
  lines.push(`Protocol version: **${table.protocolVersion}**. Flows: ${table.flows.map((flow) => `\`${flow}\``).join(', ')}.`, '')
  lines.push('### Request fields', '', ...fieldTable(table.requestFields), '')
  lines.push('### Messages (resident core, one JSON object per line on stdout)', '', row(['Message', 'Fields', 'Meaning']), row(['---', '---', '---']))
  for (const [name, spec] of Object.entries(table.messages)) lines.push(row([name, spec.fields.map((field) => `\`${field}\``).join(', '), spec.text]))
  lines.push('', '### Envelopes', '', row(['Envelope', 'ok', 'Fields', 'Meaning']), row(['---', '---', '---', '---']))
  for (const [name, spec] of Object.entries(table.envelopes)) lines.push(row([name, String(spec.ok), spec.fields.map((field) => `\`${field}\``).join(', '), spec.text]))
  for (const [name, fields] of Object.entries(table.objects)) lines.push('', `### \`${name}\``, '', ...fieldTable(fields))
  lines.push('', '### Error codes', '', row(['Code', 'Raised by', 'ErrorCategory', 'Exit code (one-shot core)', 'Meaning']), row(['---', '---', '---', '---', '---']))
  for (const [code, spec] of Object.entries(table.errors)) lines.push(row([`\`EntraAuth.${code}\``, spec.side, spec.category, spec.exitCode ?? '', spec.text]))
  lines.push('', `Exit code ${table.exitCodeOk}: success. Defaults: ${Object.entries(table.defaults).map(([name, value]) => `${name} ${value}`).join(', ')}.`, '', END)
  return lines.join('\n')
}

/** docs/protocol.md with its generated part replaced. @throws Error when the markers are missing */
export function renderDoc(table, current) {
  const start = current.indexOf(BEGIN)
  const end = current.indexOf(END)
  if (start < 0 || end < start) throw new Error(`${DOC_PATH} has no "${BEGIN}" ... "${END}" markers.`)
  return current.slice(0, start) + renderDocTables(table) + current.slice(end + END.length)
}

/** The files the table generates, as they must be: `[{ path, text }]`. */
export function expectedFiles() {
  const table = readTable()
  return [
    { path: SCRIPT_PATH, text: renderScript(table) },
    { path: DOC_PATH, text: renderDoc(table, readFileSync(`${root}${DOC_PATH}`, 'utf8')) },
  ]
}

/** A committed file's text, or null when it is missing. */
function readCurrent(path) {
  try {
    return readFileSync(`${root}${path}`, 'utf8')
  } catch {
    return null
  }
}

/**
 * Writes them (or with `check`, lists the stale ones). `read` gives a file's current text (tests pass their own).
 * @returns the paths that were (or would be) rewritten
 */
export function generateProtocolFacts({ check = false, read = readCurrent } = {}) {
  const stale = []
  for (const { path, text } of expectedFiles()) {
    const current = read(path)
    if (current === text) continue
    stale.push(path)
    if (!check) writeFileSync(`${root}${path}`, text)
  }
  return stale
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check')
  const stale = generateProtocolFacts({ check })
  if (check && stale.length > 0) {
    process.stderr.write(`Stale generated files: ${stale.join(', ')}. Run "npm run build" (they come from ${TABLE_PATH}).\n`)
    process.exitCode = 1
  }
}
