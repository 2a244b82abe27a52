// Runs every benchmark in bench/*.bench.ts (or those whose name contains an argument) one after another, each in its
// own Node process, after a build (benchmarks start the built simulators). Benchmarks print their own figures.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'

/** What a benchmark needs from the machine beyond npm ci, and the Debian package that brings it. */
const PREREQUISITES = {
  'modbus.bench.ts': [{ what: 'socat', found: () => spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0, install: 'socat' }],
  'ui.bench.ts': [{ what: '/usr/bin/chromium', found: () => existsSync('/usr/bin/chromium'), install: 'chromium fonts-noto-cjk' }],
  'plant.bench.ts': [{ what: 'PostgreSQL (initdb)', found: () => existsSync('/usr/lib/postgresql') || spawnSync('initdb', ['--version'], { stdio: 'ignore' }).status === 0, install: 'postgresql' }]
}

const filters = process.argv.slice(2)
const files = readdirSync('bench')
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort()
if (files.length === 0) {
  console.error('no benchmark matches')
  process.exit(1)
}
const missing = files.flatMap((file) => (PREREQUISITES[file] ?? []).filter((need) => !need.found()).map((need) => ({ file, ...need })))
if (missing.length > 0) {
  for (const need of missing) console.error(`${need.file} needs ${need.what}: sudo apt-get install ${need.install}`)
  process.exit(1)
}
let failed = 0
for (const file of files) {
  console.log(`\n### ${file}`)
  const run = spawnSync(process.execPath, ['--import', 'tsx', `bench/${file}`], {
    stdio: 'inherit',
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.node.json' }
  })
  if (run.status !== 0) failed++
}
process.exit(failed === 0 ? 0 : 1)
