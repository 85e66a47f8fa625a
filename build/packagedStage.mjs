// Stages the packaged module with a copy of the tests beside it, and a PATH on which no node can be found.

import { cpSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { root } from './tools.mjs'

const NODE_NAMES = new Set(['node', 'node.exe', 'nodejs', 'npm', 'npx', 'corepack', 'npm.cmd', 'npx.cmd'])

function linkTree(from, to) {
  mkdirSync(to, { recursive: true })
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) linkTree(join(from, entry.name), join(to, entry.name))
    else linkSync(join(from, entry.name), join(to, entry.name))
  }
}

/**
 * PATH with every folder that holds node replaced by a folder of links to everything else in it, so pwsh,
 * dotnet and the system tools stay reachable and node does not.
 */
function pathWithoutNode(shims) {
  const folders = (process.env.PATH ?? '').split(delimiter).filter((folder) => folder !== '')
  return folders
    .map((folder, index) => {
      if (![...NODE_NAMES].some((name) => existsSync(join(folder, name)))) return folder
      const shim = join(shims, String(index))
      mkdirSync(shim, { recursive: true })
      for (const name of readdirSync(folder)) {
        if (NODE_NAMES.has(name)) continue
        try {
          if (statSync(join(folder, name)).isFile()) symlinkSync(join(folder, name), join(shim, name))
        } catch {
          // A dangling link in a system folder: leave it out.
        }
      }
      return shim
    })
    .join(delimiter)
}

/**
 * dist/packaged-test/: the Gallery folder's files (hard links, no copies of the executables), the tests,
 * package.json, CHANGELOG.md, README.md and docs/ (tests hold the docs to the module), so `../../EntraAuth.psd1` in
 * every test file is the packaged manifest.
 * @returns `{ root, path, remove() }`
 */
export function stagePackaged() {
  const stage = join(root, 'dist', 'packaged-test')
  rmSync(stage, { recursive: true, force: true })
  linkTree(join(root, 'dist', 'gallery', 'EntraAuth'), stage)
  cpSync(join(root, 'test'), join(stage, 'test'), { recursive: true })
  for (const file of ['package.json', 'CHANGELOG.md', 'README.md']) cpSync(join(root, file), join(stage, file))
  cpSync(join(root, 'docs'), join(stage, 'docs'), { recursive: true })
  const path = pathWithoutNode(join(stage, '.path'))
  return { root: stage, path, remove: () => rmSync(stage, { recursive: true, force: true }) }
}
