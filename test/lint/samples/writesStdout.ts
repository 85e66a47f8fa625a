// Lint sample: writes stdout (allowed only in src/main.ts, the protocol writer).
export function emit(text: string): void {
  process.stdout.write(text)
}
