// Every relative link of the docs reaches a file (and a heading, for an anchor), and the README stays short.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
/** README.md is for admins: at most 12 KB (12 * 1024 bytes); longer text goes into docs/. */
const README_MAX_BYTES = 12 * 1024

const pages = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)]

/**
 * Pages another branch writes, with the file whose presence says that work has landed: until then a link to the
 * page may point ahead; from then on the page must exist like any other.
 */
const PAGES_LANDING_ELSEWHERE: Record<string, string> = {
  'docs/diagnostics.md': 'module/public/Test-MicrosoftEntraIDApplicationAccess.ps1',
}

/** The text outside fenced code blocks and code spans, where links are links. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '')
}

/** GitHub's anchors for a page's headings (lower case, punctuation dropped, spaces as -, repeats numbered). */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>()
  const result = new Set<string>()
  for (const match of prose(text).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const slug = (match[1] ?? '')
      .replace(/<[^>]+>/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-')
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    result.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return result
}

/** `[text](target)` links whose target is not a URL with a scheme. */
export function relativeLinks(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)].map((match) => match[1] ?? '').filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
}

/** What is wrong with one link of `page`, or undefined. */
function problem(page: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#', 2)
  const file = path === '' ? join(root, page) : join(root, dirname(page), decodeURIComponent(path))
  const name = relative(root, file).split('\\').join('/')
  if (!existsSync(file)) {
    const landedWhen = PAGES_LANDING_ELSEWHERE[name]
    if (landedWhen !== undefined && !existsSync(join(root, landedWhen))) return undefined
    return `${page}: ${target}: ${name} does not exist`
  }
  if (anchor === undefined || anchor === '' || statSync(file).isDirectory() || !file.endsWith('.md')) return undefined
  return anchors(readFileSync(file, 'utf8')).has(anchor) ? undefined : `${page}: ${target}: ${name} has no heading #${anchor}`
}

describe('docs links', () => {
  it.each(pages)('every relative link in %s points at an existing file and heading', (page) => {
    const links = relativeLinks(readFileSync(join(root, page), 'utf8'))
    expect(links.map((target) => problem(page, target)).filter((text) => text !== undefined)).toEqual([])
  })

  it('the README links every page under docs/ (a page nobody links is lost)', () => {
    const linked = new Set(relativeLinks(readFileSync(join(root, 'README.md'), 'utf8')).map((target) => target.split('#')[0]))
    expect(pages.filter((page) => page.startsWith('docs/') && !linked.has(page))).toEqual([])
  })

  it('finds a broken file, a broken anchor and a link inside code is not a link', () => {
    expect(problem('README.md', 'docs/nothing-here.md')).toMatch(/does not exist/)
    expect(problem('README.md', 'docs/install.md#no-such-heading')).toMatch(/no heading #no-such-heading/)
    expect(problem('README.md', 'docs/install.md#which-core-runs-where')).toBeUndefined()
    expect(relativeLinks('`[a](b.md)` and\n```\n[c](d.md)\n```\n[e](f.md) [g](https://x.test/h)')).toEqual(['f.md'])
    expect([...anchors("## Not the PowerShell Gallery's EntraAuth\n## A (b) c\n## A (b) c")]).toEqual(['not-the-powershell-gallerys-entraauth', 'a-b-c', 'a-b-c-1'])
  })
})

describe('README size', () => {
  it(`README.md is at most ${README_MAX_BYTES} bytes`, () => {
    expect(statSync(join(root, 'README.md')).size).toBeLessThanOrEqual(README_MAX_BYTES)
  })
})
