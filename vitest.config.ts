import { defineConfig } from 'vitest/config'

/**
 * The vitest layers, one folder of test/ each, fastest first. `npm run test:<layer>` runs one (`vitest run --project
 * <layer>`), `npm test` runs them all in its order, and test/lint/layers.test.ts holds the three lists to each other.
 */
export const layers = ['unit', 'lint', 'docs', 'emulator', 'compat', 'contract', 'package', 'session', 'pty', 'browser'] as const

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: layers.map((layer) => ({ extends: true, test: { name: layer, include: [`test/${layer}/**/*.test.ts`] } })),
  },
})
