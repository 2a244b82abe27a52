import { z } from 'zod'

/** One lane of a gate: a camera, a barrier and an LED display serving one direction. */
const laneConfigSchema = z
  .object({
    id: z.string().regex(/^[a-zA-Z0-9_-]{1,32}$/, 'lane id: 1–32 letters, digits, - or _'),
    name: z.string().min(1).max(32),
    /** Gate code (dzbh) per A6.3 / ERRATA E15: "01"–"99", unique within the enterprise. */
    gateCode: z.string().regex(/^(?!00)\d{2}$/, 'gateCode must be two digits 01–99 (spec A6.3)'),
    direction: z.enum(['in', 'out']),
    camera: z
      .object({
        kind: z.enum(['lpr-push', 'onvif']),
        /** ONVIF device service URL, for kind 'onvif'. */
        url: z.string().url().optional(),
        username: z.string().optional()
      })
      .strict()
      .default({ kind: 'lpr-push' }),
    barrier: z
      .object({ kind: z.enum(['none', 'modbus-rtu']), path: z.string().optional(), unitId: z.number().int().optional() })
      .strict()
      .default({ kind: 'none' }),
    display: z
      .object({ kind: z.enum(['none', 'led']), path: z.string().optional(), protocol: z.string().optional() })
      .strict()
      .default({ kind: 'none' })
  })
  .strict()

const listenSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535)
  })
  .strict()

export const configSchema = z
  .object({
    /** Where the database and photos live; relative paths are resolved against the config file's folder. */
    dataDir: z.string().min(1),
    platform: z
      .object({
        /** The city platform's base URL, ending in the project prefix, e.g. http://10.1.2.3:8080/ysgk (spec 2.1). */
        baseUrl: z.string().url(),
        /** Assigned by the city; defaults to the enterprise code (ERRATA E12). */
        organ: z.string().max(32).optional(),
        username: z.string().min(1).max(20),
        /** Read from the environment variable named here, never written to a file or a log. */
        passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).default('GATE_PLATFORM_PASSWORD'),
        requestTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
        /** How long a truck may wait for getCheckVehicle before the lane decides offline. */
        verifyBudgetMs: z.number().int().min(100).max(30_000).default(1_500)
      })
      .strict(),
    enterprise: z
      .object({
        /** qybh: the 10-digit enterprise code handed over by the city (A6.2, ERRATA E13/E14). */
        code: z.string().regex(/^\d{10}$/, 'enterprise.code must be the 10-digit enterprise code (spec A6.2)'),
        name: z.string().min(1).max(150),
        /** 企业授权号, handed over by the city (ERRATA E19). */
        companySecretCode: z.string().max(32).default('')
      })
      .strict(),
    lanes: z
      .array(laneConfigSchema)
      .min(1, 'at least one lane is needed')
      .superRefine((lanes, ctx) => {
        const seen = new Set<string>()
        for (const [index, lane] of lanes.entries()) {
          if (seen.has(lane.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate lane id ${lane.id}` })
          seen.add(lane.id)
        }
      }),
    /** The headless host: UI + API. Keep it on 127.0.0.1 unless the booth really needs remote access. */
    host: listenSchema.default({ host: '127.0.0.1', port: 5780 }),
    /** Where plate cameras push their reads (POST /lpr/{laneId}); cameras sit on the plant LAN. */
    lpr: listenSchema.default({ host: '127.0.0.1', port: 5781 }),
    sync: z
      .object({
        intervalMs: z.number().int().min(50).default(2_000),
        maxBackoffMs: z.number().int().min(100).default(300_000)
      })
      .strict()
      .default({ intervalMs: 2_000, maxBackoffMs: 300_000 }),
    /** Operations: statistics (spec 4.2.12) and their PDF export. */
    reports: z
      .object({
        /** Plate prefixes counted as local, e.g. ["豫K"]; default: guessed from the enterprise code (docs/operations.md). */
        localPlatePrefixes: z.array(z.string().regex(/^\p{Script=Han}[A-Z]?$/u, 'a province character, optionally with the city letter, e.g. 豫K')).optional(),
        /** The Chromium-family browser the headless host prints PDFs with; default by platform. */
        pdfBrowserPath: z.string().optional()
      })
      .strict()
      .default({}),
    /** Operations: what is kept and for how long (spec chapter 8), and the disk-space guard. */
    retention: z
      .object({
        /** Records and photos older than this, and already uploaded, are deleted by the retention sweep. */
        months: z.number().int().min(12, 'spec chapter 8: keep at least 12 months').max(120).default(12),
        sweepIntervalMs: z.number().int().min(60_000).default(6 * 3600_000),
        /** Free space below which the booth warns, and below which it warns as critical. */
        diskWarnFreeBytes: z.number().int().min(0).default(10 * 1024 ** 3),
        diskCriticalFreeBytes: z.number().int().min(0).default(2 * 1024 ** 3),
        diskCheckIntervalMs: z.number().int().min(1_000).default(60_000)
      })
      .strict()
      .refine((retention) => retention.diskCriticalFreeBytes <= retention.diskWarnFreeBytes, {
        message: 'diskCriticalFreeBytes must not exceed diskWarnFreeBytes',
        path: ['diskCriticalFreeBytes']
      })
      .default({ months: 12, sweepIntervalMs: 6 * 3600_000, diskWarnFreeBytes: 10 * 1024 ** 3, diskCriticalFreeBytes: 2 * 1024 ** 3, diskCheckIntervalMs: 60_000 }),
    /** Operations: the structured log files under dataDir/logs, rotated by size and by day. */
    logs: z
      .object({ maxBytes: z.number().int().min(64 * 1024).default(10 * 1024 ** 2), maxFiles: z.number().int().min(1).max(365).default(30) })
      .strict()
      .default({ maxBytes: 10 * 1024 ** 2, maxFiles: 30 }),
    /** Operations: the key file sealing dataDir/secrets.sealed (headless host); relative to dataDir; default secrets.key. */
    secrets: z.object({ keyFile: z.string().min(1).optional() }).strict().default({}),
    /** The Electron shell of an installed booth: start with the user's session (Windows/macOS login items). */
    shell: z.object({ openAtLogin: z.boolean().default(true) }).strict().default({ openAtLogin: true })
  })
  .strict()

export type GateConfig = z.output<typeof configSchema>
export type LaneConfig = GateConfig['lanes'][number]
