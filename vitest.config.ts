import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { alias: { '@shared': resolve(import.meta.dirname, 'src/shared') } },
  test: {
    include: ['test/**/*.test.ts'],
    // better-sqlite3 is a native addon: forks keep each test file in its own process.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})
