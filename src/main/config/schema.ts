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
        maxBackoffMs: z.number().int().min(100).default(300_000),
        /** Platform calls in flight at once. */
        concurrency: z.number().int().min(1).max(32).default(4),
        /** Uploaded outbox rows older than this lose their payload; passages and photos are kept (spec ch. 8: 12 months). */
        compactAfterDays: z.number().int().min(1).max(365).default(30)
      })
      .strict()
      .default({ intervalMs: 2_000, maxBackoffMs: 300_000, concurrency: 4, compactAfterDays: 30 })
  })
  .strict()

export type GateConfig = z.output<typeof configSchema>
export type LaneConfig = GateConfig['lanes'][number]
