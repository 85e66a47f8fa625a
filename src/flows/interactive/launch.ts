// Starts the browser opener as its own process: the URL as its last argument, no shell, nothing inherited on stdio.

import { spawn } from 'node:child_process'

export interface Launched {
  /** The opener's exit code (null when a signal ended it); never rejects. */
  exited: Promise<number | null>
}

/**
 * Starts `command args... url` and resolves once it runs; the sign-in does not wait for it to end. Detached (its own
 * process group, except on Windows), so Ctrl+C in the terminal does not close the browser it starts.
 * @throws the spawn error (ENOENT, EACCES) when it cannot start
 */
export function launchOpener(
  command: string,
  args: readonly string[],
  url: string,
  platform: NodeJS.Platform,
): Promise<Launched> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: platform !== 'win32', windowsHide: true })
    const exited = new Promise<number | null>((settle) => child.once('exit', (code) => settle(code)))
    child.once('error', reject)
    child.once('spawn', () => {
      child.unref()
      resolve({ exited })
    })
  })
}
