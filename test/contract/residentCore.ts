// The built core as the module runs it (--serve): start it, send request lines, read messages until each envelope.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const bundle = fileURLToPath(new URL('../../module/bin/entraauth.mjs', import.meta.url))

/** What one request got back: its messages in order, split by kind. */
export interface Answer {
  /** True when the core said it had read the request ({id, accepted}) before anything else of it. */
  accepted: boolean
  /** Its log and prompt lines (`[EntraAuth] <level>: …`), in order. */
  lines: string[]
  envelope: any
  /** Every message of this id, as parsed. */
  messages: any[]
  /** Every raw stdout line of this id, so a test can look for what must not be there. */
  raw: string[]
}

export interface ResidentCore {
  child: ChildProcessWithoutNullStreams
  /** Sends `request` (an object gets `id` first, a string goes as it is) and resolves with its answer. */
  send(request: Record<string, unknown> | string, id?: number): Promise<Answer>
  /** Waits for the answer to a request sent some other way (a hand-written line). */
  answer(id: number | null): Promise<Answer>
  /** Resolves when a line of request `id` matches. */
  waitForLine(id: number, pattern: RegExp): Promise<string>
  /** What the process wrote to stderr (nothing, unless it crashed: a resident core's lines are messages). */
  stderr(): string
  /** Every stdout line so far. */
  stdout(): string[]
  /** Closes stdin and resolves with the exit code. */
  close(): Promise<number | null>
}

/** Starts `node module/bin/entraauth.mjs --serve` with exactly `env` (and PATH). */
export function startResidentCore(env: Record<string, string | undefined>, args: string[] = []): ResidentCore {
  if (!existsSync(bundle)) throw new Error('module/bin/entraauth.mjs is missing: run "npm run build" first')
  const child = spawn(process.execPath, [bundle, '--serve', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH, ...env } })
  const messages: any[] = []
  const rawLines: string[] = []
  const waiting: (() => void)[] = []
  let stderr = ''
  let nextId = 0
  child.stderr.on('data', (chunk) => (stderr += chunk))
  createInterface({ input: child.stdout }).on('line', (line) => {
    rawLines.push(line)
    messages.push(JSON.parse(line))
    for (const wake of waiting.splice(0)) wake()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  let ended = false
  void exited.then(() => {
    ended = true
    for (const wake of waiting.splice(0)) wake()
  })
  const until = async <T>(found: () => T | undefined, what: string): Promise<T> => {
    for (;;) {
      const value = found()
      if (value !== undefined) return value
      if (ended) throw new Error(`The core exited before ${what}; stderr: ${stderr}`)
      await new Promise<void>((resolve) => waiting.push(resolve))
    }
  }
  const answer = async (id: number | null): Promise<Answer> => {
    await until(() => messages.find((message) => message.id === id && message.envelope !== undefined), `the envelope of request ${id}`)
    const own = messages.filter((message) => message.id === id)
    return {
      accepted: own[0]?.accepted === true,
      lines: own.filter((message) => typeof message.line === 'string').map((message) => message.line as string),
      envelope: own.find((message) => message.envelope !== undefined).envelope,
      messages: own,
      raw: rawLines.filter((line) => (JSON.parse(line) as { id: unknown }).id === id),
    }
  }
  return {
    child,
    send(request, id) {
      const requestId = id ?? (typeof request === 'object' && typeof request.id === 'number' ? request.id : ++nextId)
      const text = typeof request === 'string' ? request : JSON.stringify({ id: requestId, ...request })
      child.stdin.write(text.endsWith('\n') ? text : `${text}\n`)
      return answer(requestId)
    },
    answer,
    waitForLine: (id, pattern) =>
      until(() => messages.find((message) => message.id === id && typeof message.line === 'string' && pattern.test(message.line))?.line as string | undefined, `a line matching ${pattern}`),
    stderr: () => stderr,
    stdout: () => [...rawLines],
    close() {
      child.stdin.end()
      return exited
    },
  }
}

/** One request to a new resident core, which is closed after the envelope: `{ ...answer, exitCode, stderr }`. */
export async function askResidentCore(env: Record<string, string | undefined>, request: Record<string, unknown> | string): Promise<Answer & { exitCode: number | null; stderr: string }> {
  const core = startResidentCore(env)
  try {
    const answered = await core.send(request)
    const exitCode = await core.close()
    return { ...answered, exitCode, stderr: core.stderr() }
  } finally {
    core.child.kill('SIGKILL')
  }
}

/** One request to a new resident core, in the shape the one-shot tests read: envelope, the log text, an exit code. */
export interface ResidentRun {
  envelope: any
  /** The request's line messages, one per line: what the one-shot core writes to stderr (and the process's own stderr). */
  stderr: string
  /** The raw stdout lines of the request (accepted, lines, envelope), each ended by a newline. */
  stdout: string
  /**
   * The exit code the one-shot core gives this envelope (EXIT_CODES of src/protocol/protocol.json): the resident core
   * answers every request with an envelope and exits 0 at EOF; test/contract/core.test.ts holds the one-shot process
   * to the same table.
   */
  exitCode: number
  /** True when the core said it had read the request before anything else. */
  accepted: boolean
  /** Milliseconds from sending the request to its envelope. */
  ms: number
}

export async function runResident(env: Record<string, string | undefined>, request: Record<string, unknown> | string): Promise<ResidentRun> {
  const { EXIT_CODES } = await import('../../src/protocol/table.js')
  const started = Date.now()
  const answered = await askResidentCore(env, request)
  const ms = Date.now() - started
  const envelope = answered.envelope
  const exitCode = envelope.ok === true ? EXIT_CODES.OK : EXIT_CODES[envelope.error.code as keyof typeof EXIT_CODES]
  const stderr = answered.lines.map((line) => `${line}\n`).join('') + answered.stderr
  return { envelope, stderr, stdout: answered.raw.map((line) => `${line}\n`).join(''), exitCode, accepted: answered.accepted, ms }
}
