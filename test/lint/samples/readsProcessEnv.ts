// Lint sample: reads the environment directly (allowed only in src/config/).
export const proxy = process.env.HTTPS_PROXY
