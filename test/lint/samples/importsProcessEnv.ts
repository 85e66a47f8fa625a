// Lint sample: imports env from node:process (allowed only in src/config/).
import { env } from 'node:process'

export const proxy = env.HTTPS_PROXY
