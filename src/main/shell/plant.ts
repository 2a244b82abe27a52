/**
 * The plant server (docs/plant.md):
 *
 *   node out/main/plant.js --config plant.json                              runs the plant
 *   node out/main/plant.js --config plant.json enrol-code --gate 01 [--by NAME]   a one-time enrolment code for a booth
 *   node out/main/plant.js --config plant.json revoke --booth ID            ends a booth's credential
 *   node out/main/plant.js --config plant.json import-booth --booth-data DIR --booth-id ID
 *                                             moves a standalone booth's data (stopped) into the plant
 *   node out/main/plant.js --config plant.json add-user --username NAME --name 姓名 --role admin|guard   (password on stdin)
 *   node out/main/plant.js enrol-booth --booth-config booth.json --url https://plant:5790 --fingerprint AA:… --code CODE --booth-id ID
 *                                             at a booth PC: enrols this booth (config with a "plant" section)
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { enrolAtPlant, PlantLinkError, saveIdentity } from '../booth/plant-link'
import { openBoothExport } from '../booth/store/plant-export'
import { ConfigError, loadConfigFile } from '../core/config'
import { Users } from '../core/auth'
import { keyFileSecrets, readSecretFromStdin } from '../core/secrets'
import { createLog } from '../core/log'
import { loadPlantConfig, PlantConfigError, type PlantConfig } from '../plant/config'
import { openPlantStore } from '../plant/store'
import { plantCertificate } from '../plant/tls'
import { importBooth } from '../plant/upgrade'
import { startPlant, type Plant } from '../roles/plant'
import { version } from '../../../package.json'

const log = createLog('plant')
let plant: Plant | null = null

function secret(name: string | undefined, what: string): string | undefined {
  if (name === undefined) return undefined
  const value = process.env[name]
  if (!value) throw new PlantConfigError(`${what} missing: set the environment variable ${name}`)
  return value
}

interface CommandValues {
  gate?: string | undefined
  booth?: string | undefined
  by?: string | undefined
  'booth-data'?: string | undefined
  'booth-id'?: string | undefined
  'booth-config'?: string | undefined
  url?: string | undefined
  fingerprint?: string | undefined
  code?: string | undefined
  username?: string | undefined
  name?: string | undefined
  role?: string | undefined
}

/** At a booth PC: trades the admin's one-time code for this booth's credential, pinning the plant's certificate. */
async function enrolBooth(values: CommandValues): Promise<void> {
  const { url, fingerprint, code } = values
  const boothId = values['booth-id']
  if (!values['booth-config'] || !url || !fingerprint || !code || !boothId) {
    throw new PlantConfigError('enrol-booth needs --booth-config FILE --url https://HOST:PORT --fingerprint SHA256 --code CODE --booth-id ID')
  }
  const config = loadConfigFile(values['booth-config'])
  const identity = await enrolAtPlant({ url, fingerprint, code, boothId })
  await saveIdentity(config.dataDir, keyFileSecrets(config, { createKey: true }), { ...identity, boothId })
  process.stdout.write(`booth ${boothId} enrolled at gate ${identity.gateCode}, plant certificate ${identity.fingerprint} pinned\n`)
}

async function adminCommand(config: PlantConfig, command: string, values: CommandValues): Promise<void> {
  const store = await openPlantStore({
    connectionString: config.database.url,
    password: secret(config.database.passwordEnv, 'database password'),
    photosDir: join(config.dataDir, 'photos')
  })
  try {
    if (command === 'enrol-code') {
      if (!values.gate || !/^\d{2}$/.test(values.gate)) throw new PlantConfigError('enrol-code needs --gate NN (the gate code, 01–99)')
      const code = await store.booths.createCode(values.gate, values.by ?? 'admin', Date.now())
      const { fingerprint } = await plantCertificate(join(config.dataDir, 'tls'))
      process.stdout.write(`enrolment code ${code}\nplant certificate ${fingerprint}\n`)
    } else if (command === 'revoke') {
      if (!values.booth) throw new PlantConfigError('revoke needs --booth ID')
      const revoked = await store.booths.revoke(values.booth, Date.now())
      process.stdout.write(revoked ? `booth ${values.booth} revoked\n` : `booth ${values.booth} is not enrolled (or already revoked)\n`)
    } else if (command === 'import-booth') {
      if (!values['booth-data'] || !values['booth-id']) throw new PlantConfigError('import-booth needs --booth-data DIR --booth-id ID')
      const source = openBoothExport(values['booth-data'])
      try {
        const report = await importBooth(store, source, { boothId: values['booth-id'], photosDir: join(config.dataDir, 'photos'), now: Date.now() })
        process.stdout.write(`imported ${JSON.stringify(report)}\n`)
      } finally {
        source.close()
      }
    } else if (command === 'add-user') {
      const role = values.role
      if (!values.username || (role !== 'admin' && role !== 'guard')) throw new PlantConfigError('add-user needs --username NAME --role admin|guard [--name 姓名], the password on stdin')
      const password = await readSecretFromStdin()
      if (password.length < 8) throw new PlantConfigError('the password must have at least 8 characters')
      await new Users(store.repos.users).add({ username: values.username, name: values.name ?? values.username, role, password })
      process.stdout.write(`user ${values.username} (${role}) added\n`)
    } else throw new PlantConfigError(`unknown command ${command}: enrol-code, revoke, import-booth, add-user`)
  } finally {
    await store.close()
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      gate: { type: 'string' },
      booth: { type: 'string' },
      by: { type: 'string' },
      'booth-data': { type: 'string' },
      'booth-id': { type: 'string' },
      'booth-config': { type: 'string' },
      url: { type: 'string' },
      fingerprint: { type: 'string' },
      code: { type: 'string' },
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' }
    }
  })
  if (positionals[0] === 'enrol-booth') return enrolBooth(values)
  if (!values.config) throw new PlantConfigError('usage: plant --config FILE [enrol-code --gate NN | revoke --booth ID | import-booth --booth-data DIR --booth-id ID]')
  const config = loadPlantConfig(values.config)
  if (positionals[0]) return adminCommand(config, positionals[0], values)
  plant = await startPlant({
    config,
    platformPassword: secret(config.platform.passwordEnv, 'platform password')!,
    databasePassword: secret(config.database.passwordEnv, 'database password'),
    log,
    version,
    rendererDir: fileURLToPath(new URL('../renderer', import.meta.url))
  })
  process.stdout.write(`plant listening ${plant.uplink.url}\nplant certificate ${plant.fingerprint}\n`)
}

let stopping: Promise<void> | null = null
const stop = () => (stopping ??= plant ? plant.close() : Promise.resolve())

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void stop().finally(() => process.exit(0))
  })
}

main().catch(async (error: unknown) => {
  process.stderr.write(`${error instanceof PlantConfigError || error instanceof PlantLinkError || error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`)
  await stop()
  process.exit(1)
})
