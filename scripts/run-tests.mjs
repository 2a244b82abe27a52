// Runs every test (unit, integration, e2e) with vitest and ends with the plain summary line CI reads:
// "N passed, N failed". Extra arguments go to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'

mkdirSync('test-results', { recursive: true })
const report = 'test-results/vitest.json'
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' }
)
let passed = 0
let failed = 0
try {
  const results = JSON.parse(readFileSync(report, 'utf8'))
  passed = results.numPassedTests
  failed = results.numFailedTests + (results.numTotalTestSuites > 0 && results.success === false && results.numFailedTests === 0 ? 1 : 0)
} catch {
  failed = 1
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1)
