// Lint sample: a static import of undici (allowed only in src/http/).
import { Agent } from 'undici'

export const agent = new Agent()
