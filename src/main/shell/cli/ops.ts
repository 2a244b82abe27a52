/**
 * Operations from the command line, against a booth config:
 *
 *   node out/main/ops.js secrets set-platform-password --config booth.json   < password on stdin
 *   node out/main/ops.js backup  --config booth.json --to backup.sqlite
 *   node out/main/ops.js restore --config booth.json --from backup.sqlite   (refused while the booth runs)
 */
import { parseArgs } from 'node:util'
import { ConfigError, loadConfigFile } from '../../core/config'
import { backupDatabase, BackupError, restoreDatabase } from '../../booth/retention'
import { keyFileSecrets, keyFilePath, readSecretFromStdin, SecretsError } from '../../core/secrets'

const USAGE = `usage:
  ops secrets set-platform-password --config FILE   (the password on stdin)
  ops backup --config FILE --to BACKUP_FILE
  ops restore --config FILE --from BACKUP_FILE`

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { config: { type: 'string' }, to: { type: 'string' }, from: { type: 'string' } }
  })
  const [command, subcommand] = positionals
  if (!values.config) throw new ConfigError(USAGE)
  const config = loadConfigFile(values.config)

  if (command === 'secrets' && subcommand === 'set-platform-password') {
    const password = await readSecretFromStdin()
    await keyFileSecrets(config, { createKey: true }).set('platformPassword', password)
    process.stdout.write(`platform password sealed in ${config.dataDir}/secrets.sealed (key file ${keyFilePath(config)})\n`)
    return
  }
  if (command === 'backup' && values.to) {
    const { pages } = await backupDatabase(config.dataDir, values.to)
    process.stdout.write(`backed up ${pages} pages to ${values.to}\n`)
    return
  }
  if (command === 'restore' && values.from) {
    const { keptAs, passages } = restoreDatabase(config.dataDir, values.from)
    process.stdout.write(`restored ${passages} passages from ${values.from}${keptAs ? `; the previous database is kept as ${keptAs}` : ''}\n`)
    return
  }
  throw new ConfigError(USAGE)
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof SecretsError || error instanceof BackupError
  process.stderr.write(`${known ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`)
  process.exit(1)
})
