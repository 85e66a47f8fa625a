// Test helper: while a call runs, scans every process's cmdline and environ for secrets read from a file (one per line).
// Usage: node watch-processes.mjs <secretFile> <stopFile> <resultFile>; writes JSON when <stopFile> appears.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'

const [secretFile, stopFile, resultFile, readyFile] = process.argv.slice(2)
const secrets = readFileSync(secretFile, 'utf8').split('\n').filter((line) => line !== '')
const needles = secrets.flatMap((secret) => [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]).map((s) => Buffer.from(s))
const coreSeen = new Set()
const leaks = []
let scans = 0

function read(path) {
  try {
    return readFileSync(path)
  } catch {
    return undefined
  }
}

function scan() {
  scans++
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    const cmdline = read(`/proc/${entry}/cmdline`)
    if (cmdline === undefined) continue
    // The core: node with the bundle, or a single executable (entraauth-linux-x64, …).
    if (/entraauth(\.mjs|-(linux|win)-(x64|arm64))/.test(cmdline.toString('latin1'))) coreSeen.add(Number(entry))
    for (const [name, data] of [['cmdline', cmdline], ['environ', read(`/proc/${entry}/environ`)]]) {
      if (data !== undefined && needles.some((needle) => data.includes(needle))) leaks.push({ pid: Number(entry), where: name })
    }
  }
}

writeFileSync(readyFile, 'ready')
// A test that failed before writing the stop file must not leave this loop spinning.
const deadline = Date.now() + 60_000
while (!existsSync(stopFile) && Date.now() < deadline) {
  scan()
  await new Promise((resolve) => setTimeout(resolve, 2))
}
scan()
writeFileSync(resultFile, JSON.stringify({ scans, coreSeen: [...coreSeen], leaks }))
