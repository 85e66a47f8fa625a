// Test helper: while a call runs, scans every process's cmdline and environ for secrets read from a file (one per line).
// Usage: node watch-processes.mjs <secretFile> <stopFile> <resultFile> <readyFile>; writes JSON when <stopFile> appears:
// { scans, coreSeen: [pid], cores: [{ pid, ppid }], leaks }.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'

const [secretFile, stopFile, resultFile, readyFile] = process.argv.slice(2)
const secrets = readFileSync(secretFile, 'utf8')
  .split('\n')
  .filter((line) => line !== '')
const needles = secrets
  .flatMap((secret) => [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])
  .map((s) => Buffer.from(s))
const coreSeen = new Set()
// The parent of each core seen, so a test counts the cores its own pwsh started and not another run's.
const coreParents = new Map()
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
    if (/entraauth(\.mjs|-(linux|win)-(x64|arm64))/.test(cmdline.toString('latin1'))) {
      coreSeen.add(Number(entry))
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
      const stat = read(`/proc/${entry}/stat`)?.toString('latin1')
      const ppid = stat === undefined ? NaN : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (!coreParents.has(Number(entry)) && !Number.isNaN(ppid)) coreParents.set(Number(entry), ppid)
    }
    for (const [name, data] of [
      ['cmdline', cmdline],
      ['environ', read(`/proc/${entry}/environ`)],
    ]) {
      if (data !== undefined && needles.some((needle) => data.includes(needle)))
        leaks.push({ pid: Number(entry), where: name })
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
writeFileSync(
  resultFile,
  JSON.stringify({
    scans,
    coreSeen: [...coreSeen],
    cores: [...coreParents].map(([pid, ppid]) => ({ pid, ppid })),
    leaks,
  }),
)
