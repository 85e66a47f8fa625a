// Lint sample: console.log writes stdout, console.error bypasses the logger (neither anywhere in src/).
export function emit(text: string): void {
  console.log(text)
}
