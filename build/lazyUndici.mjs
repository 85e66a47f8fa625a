// esbuild plugin for the core's bundles: undici's HTTP/2 client (and with it node:http2, about 15 ms of a cold start
// here) is evaluated at its first use instead of at start. The core never negotiates HTTP/2 (undici's allowH2 is
// off), so in practice it is never loaded. docs/benchmarks.md, "The core's start".

import { readFile } from 'node:fs/promises'

/** Each rewrite must match exactly once: an undici update that changes the line fails the build instead of silently loading it again. */
const REWRITES = [
  {
    file: /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/,
    from: "const connectH2 = require('./client-h2.js')",
    to: "const connectH2 = (...args) => require('./client-h2.js')(...args)",
  },
]

/** @type {import('esbuild').Plugin} */
export const lazyUndici = {
  name: 'lazy-undici',
  setup(build) {
    for (const rewrite of REWRITES) {
      build.onLoad({ filter: rewrite.file }, async ({ path }) => {
        const source = await readFile(path, 'utf8')
        const count = source.split(rewrite.from).length - 1
        if (count !== 1)
          throw new Error(
            `${path}: expected "${rewrite.from}" once, found it ${count} times; undici changed, update build/lazyUndici.mjs.`,
          )
        return { contents: source.replace(rewrite.from, rewrite.to), loader: 'js' }
      })
    }
  },
}
