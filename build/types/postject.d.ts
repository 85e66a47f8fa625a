// The part of postject (no types of its own) that build/sea/buildExecutables.mjs uses.
declare module 'postject' {
  interface InjectOptions {
    sentinelFuse?: string
    machoSegmentName?: string
    overwrite?: boolean
  }
  /** Injects `data` as resource `name` into the executable `file` and flips the sentinel fuse. */
  export function inject(file: string, name: string, data: Buffer, options?: InjectOptions): Promise<void>
  const postject: { inject: typeof inject }
  export default postject
}
