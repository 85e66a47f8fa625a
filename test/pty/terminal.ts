// A real pwsh in a pseudo-terminal (node-pty), for tests that type and read the screen as a person would.

import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import pty from 'node-pty'
import { findPwsh } from '../../build/tools.mjs'
import type { Emulator } from '../emulator/index.js'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
/** The prompt the tests set, so they can see when pwsh is ready for the next line. */
export const PROMPT = 'READY> '

/** Terminal output without colour and cursor sequences. */
export function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[=>]|\x1b\][^\x07]*\x07|\r/g, '')
}

export interface Terminal {
  readonly pid: number
  /** Everything pwsh wrote so far, raw. */
  readonly output: string
  write(text: string): void
  /** Types a line and presses Enter. */
  line(text: string): void
  /** Waits until the plain output after `from` (an index into `output`) matches; returns the match and when it came. */
  waitFor(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<{ match: RegExpMatchArray; at: number }>
  close(): Promise<void>
}

/** Environment of the pwsh under test: only what it needs to reach the emulator, nothing that points at Microsoft. */
function terminalEnv(emulator: Emulator, extraEnv: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(AZURE_|IDENTITY_|MSI_|IMDS_|ACTIONS_ID_TOKEN_|ENTRAAUTH_)/.test(name) && !/^(https?_proxy|no_proxy)$/i.test(name)) env[name] = value
  }
  return { ...env, TERM: 'xterm-256color', NODE_EXTRA_CA_CERTS: emulator.caFile, SSL_CERT_FILE: emulator.caFile, AZURE_AUTHORITY_HOST: emulator.url, NO_COLOR: '1', ...extraEnv }
}

/** Starts pwsh with the module imported and the test prompt; answers the cursor position queries PSReadLine sends. */
export async function startPwsh(emulator: Emulator, extraEnv: Record<string, string> = {}): Promise<Terminal> {
  // No history file: what the tests type (secrets among it) stays in this process.
  const setup = `Set-PSReadLineOption -HistorySaveStyle SaveNothing -ErrorAction Ignore; function global:prompt { '${PROMPT}' }; Import-Module '${repoRoot}EntraAuth.psd1'`
  const child = pty.spawn(findPwsh(), ['-NoProfile', '-NoLogo', '-NoExit', '-Command', setup], { name: 'xterm-256color', cols: 200, rows: 50, cwd: repoRoot, env: terminalEnv(emulator, extraEnv) })
  let output = ''
  let exited = false
  const exit = new Promise<void>((resolve) => child.onExit(() => ((exited = true), resolve())))
  child.onData((data) => {
    output += data
    // PSReadLine asks where the cursor is (DSR 6) and waits for the answer.
    if (data.includes('\x1b[6n')) child.write('\x1b[1;1R'.repeat(data.split('\x1b[6n').length - 1))
  })
  const terminal: Terminal = {
    pid: child.pid,
    get output() {
      return output
    },
    write: (text) => child.write(text),
    line: (text) => child.write(`${text}\r`),
    async waitFor(pattern, { from = 0, timeoutMs = 15_000 } = {}) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const match = plain(output.slice(from)).match(pattern)
        if (match !== null) return { match, at: Date.now() }
        if (exited) throw new Error(`pwsh exited before ${pattern}; screen:\n${plain(output).slice(-2000)}`)
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms; screen:\n${plain(output).slice(-2000)}`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
    async close() {
      if (!exited) child.kill('SIGKILL')
      await exit
    },
  }
  await terminal.waitFor(new RegExp(PROMPT), { timeoutMs: 20_000 })
  return terminal
}

/** Pids whose parent is `pid` (Linux /proc). */
export function childrenOf(pid: number): number[] {
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // Fields after the command name, which is in parentheses and may hold spaces: state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) children.push(Number(entry))
    } catch {
      // The process ended while we looked.
    }
  }
  return children
}

/** Every process below `pid` (the dotnet tool shim of pwsh starts pwsh itself as its child). */
export function descendantsOf(pid: number): number[] {
  const found: number[] = []
  const queue = [pid]
  while (queue.length > 0) {
    for (const child of childrenOf(queue.shift()!)) {
      found.push(child)
      queue.push(child)
    }
  }
  return found
}

/** The EntraAuth cores running below `pid`. */
export function coresBelow(pid: number): number[] {
  return descendantsOf(pid).filter((child) => /entraauth/.test(commandLine(child)))
}

/** The command line of a process, or '' once it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
  } catch {
    return ''
  }
}
