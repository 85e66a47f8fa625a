// `npm run docs`: writes the generated tables into the docs pages, between <!-- generated:<name> begin/end --> markers.
// `--check`: writes nothing, names each stale table and exits 1 (test/docs/generated.test.ts does the same check).

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadSources } from './docsSources.mjs'
import { aadstsHintTable, environmentTable, errorCodeTable, oauthErrorHintTable } from './docsTables.mjs'
import { root } from './tools.mjs'

/** Each generated table: the page it lives on and how it is made. */
export const SECTIONS = {
  environment: { page: 'docs/environment.md', render: environmentTable },
  'error-codes': { page: 'docs/troubleshooting.md', render: errorCodeTable },
  'aadsts-hints': { page: 'docs/troubleshooting.md', render: aadstsHintTable },
  'oauth-error-hints': { page: 'docs/troubleshooting.md', render: oauthErrorHintTable },
}

/**
 * Marked sections other generators fill: the parameter table (the cmdlet surface generator) and the protocol tables
 * of docs/protocol.md (the protocol table's generator). This generator leaves them alone.
 */
export const SECTIONS_GENERATED_ELSEWHERE = ['parameters', 'protocol']

const begin = (name) => `<!-- generated:${name} begin -->`
const end = (name) => `<!-- generated:${name} end -->`

/** What lies between a section's markers, or null when the page has no such pair. */
export function readSection(text, name) {
  const start = text.indexOf(begin(name))
  const stop = text.indexOf(end(name))
  if (start < 0 || stop < start) return null
  return text.slice(start + begin(name).length, stop).replace(/^\n/, '').replace(/\n$/, '')
}

/** @throws Error when the page has no markers for the section */
export function replaceSection(text, name, body) {
  if (readSection(text, name) === null) throw new Error(`The page has no "${begin(name)}" ... "${end(name)}" pair for the table ${name}.`)
  const start = text.indexOf(begin(name)) + begin(name).length
  return `${text.slice(0, start)}\n${body}\n${text.slice(text.indexOf(end(name)))}`
}

/** `{ name: markdown }` for every section, as the sources say now. */
export async function generateSections(rootDir = root) {
  const sources = await loadSources(rootDir)
  return Object.fromEntries(Object.entries(SECTIONS).map(([name, { render }]) => [name, render(sources)]))
}

/** `[{ name, page }]` for each section whose page text differs from `generated`; `readPage(page)` gives a page's text. */
export function staleSections(generated, readPage) {
  return Object.entries(SECTIONS)
    .filter(([name, { page }]) => readSection(readPage(page), name) !== generated[name])
    .map(([name, { page }]) => ({ name, page }))
}

async function main() {
  const generated = await generateSections()
  const readPage = (page) => readFileSync(join(root, page), 'utf8')
  if (process.argv.includes('--check')) {
    const stale = staleSections(generated, readPage)
    for (const { name, page } of stale) process.stderr.write(`${page}: the table ${name} differs from its source: run "npm run docs".\n`)
    process.exitCode = stale.length === 0 ? 0 : 1
    return
  }
  for (const [name, { page }] of Object.entries(SECTIONS)) {
    const before = readPage(page)
    const after = replaceSection(before, name, generated[name])
    if (after !== before) {
      writeFileSync(join(root, page), after)
      process.stdout.write(`${page}: ${name} written\n`)
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
