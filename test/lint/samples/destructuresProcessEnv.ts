// Lint sample: takes env out of process by destructuring (allowed only in src/config/).
const { env } = process

export const proxy = env.HTTPS_PROXY
