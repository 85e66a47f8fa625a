// Lint sample: imports stdout from node:process (allowed only in src/main.ts).
import { stdout } from 'node:process'

export function emit(text: string): void {
  stdout.write(text)
}
