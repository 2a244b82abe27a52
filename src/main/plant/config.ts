import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { z } from 'zod'
import { parseAddressBlock } from '../core/http/address'

/** plant.json (docs/plant.md): where the plant keeps its data, its PostgreSQL, the city platform, the booths' port. */
export const plantConfigSchema = z
  .object({
    dataDir: z.string().min(1),
    database: z.object({
      /** postgresql://user@host:port/database, without the password. */
      url: z.string().regex(/^postgres(ql)?:\/\//),
      /** The environment variable holding the database password (none: peer/trust authentication). */
      passwordEnv: z.string().optional()
    }),
    platform: z.object({
      baseUrl: z.string().url(),
      organ: z.string().regex(/^\d{10}$/),
      username: z.string().min(1),
      passwordEnv: z.string().min(1),
      requestTimeoutMs: z.number().int().positive().default(5_000)
    }),
    /** The enterprise the plant files ledgers for (4.1.2/4.1.7/4.1.8); its code defaults to platform.organ. */
    enterprise: z
      .object({ code: z.string().regex(/^\d{10}$/).optional(), name: z.string().min(1).max(150), companySecretCode: z.string().max(32).default('') })
      .strict()
      .optional(),
    /** Dwell alarms (车辆滞留): a vehicle inside the plant longer than `dwellMinutes` raises one, resolved when it leaves. */
    alarms: z
      .object({ dwellMinutes: z.number().int().min(1).max(10_080).default(240), checkIntervalMs: z.number().int().min(200).max(3_600_000).default(60_000) })
      .strict()
      .optional(),
    /** The statistics' PDF: printed by a Chromium-family browser (default: the booth's default path). */
    reports: z.object({ pdfBrowserPath: z.string().min(1).optional() }).strict().optional(),
    /** GET /health for a monitor: loopback always, and these addresses or CIDR blocks on the LAN. */
    health: z
      .object({ allow: z.array(z.string().refine((entry) => parseAddressBlock(entry) !== null, '应为 IP 地址或网段（如 10.1.2.9 或 10.1.2.0/24）')).max(64) })
      .strict()
      .optional(),
    /** Where booths and the admins' browsers reach the plant (HTTPS; booths carry their credential, browsers log in). */
    listen: z.object({ host: z.string().default('0.0.0.0'), port: z.number().int().min(0).max(65535).default(5790) }).default({ host: '0.0.0.0', port: 5790 }),
    sync: z
      .object({
        concurrency: z.number().int().min(1).max(16).default(4),
        intervalMs: z.number().int().positive().default(2_000),
        maxBackoffMs: z.number().int().positive().default(300_000),
        compactAfterDays: z.number().int().positive().default(30)
      })
      .default({ concurrency: 4, intervalMs: 2_000, maxBackoffMs: 300_000, compactAfterDays: 30 })
  })
  .strict()

export type PlantConfig = z.infer<typeof plantConfigSchema>

/** The dwell-alarm settings with their defaults (4 hours, checked every minute). */
export function plantAlarms(config: PlantConfig): { dwellMinutes: number; checkIntervalMs: number } {
  return { dwellMinutes: config.alarms?.dwellMinutes ?? 240, checkIntervalMs: config.alarms?.checkIntervalMs ?? 60_000 }
}

/** The enterprise as the ledgers file it: plant.json's, its code defaulting to the platform's organ code. */
export function plantEnterprise(config: PlantConfig): { code: string; name: string; companySecretCode: string } {
  return { code: config.enterprise?.code ?? config.platform.organ, name: config.enterprise?.name ?? '本企业', companySecretCode: config.enterprise?.companySecretCode ?? '' }
}

export class PlantConfigError extends Error {
  override name = 'PlantConfigError'
}

/** Reads and checks plant.json; dataDir is relative to the file. */
export function loadPlantConfig(file: string): PlantConfig {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new PlantConfigError(`cannot read ${file}: ${(error as Error).message}`)
  }
  const parsed = plantConfigSchema.safeParse(raw)
  if (!parsed.success) throw new PlantConfigError(`${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`)
  return { ...parsed.data, dataDir: resolve(dirname(file), parsed.data.dataDir) }
}
