/**
 * Checks the audit log's hash chain and names the first tampered row.
 *
 *   npm run audit:verify -- --config booth.json      (or --data DIR)
 *
 * Exit code 0: the chain is whole; 2: a row was altered, removed or inserted (its id is printed).
 */
import { parseArgs } from 'node:util'
import { openStoreFromArgs } from './data-folder'
import { AuditLog } from '../../core/audit/audit-log'

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' }, data: { type: 'string' } } })
  const store = openStoreFromArgs(values)
  const result = await new AuditLog(store.repos.audit).verify().finally(() => store.close())
  if (result.firstBad) {
    process.stdout.write(`audit chain BROKEN at row ${result.firstBad.id}: ${result.firstBad.problem} (${result.checked} rows checked)\n`)
    process.exitCode = 2
  } else {
    process.stdout.write(`audit chain ok: ${result.checked} rows\n`)
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`)
  process.exitCode = 1
})
