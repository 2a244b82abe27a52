import { z } from 'zod'
import { laneDeviceConfigSchemas } from '../../booth/devices/kinds'
import { isLoopbackHost, parseAddressBlock } from '../http/address'

/** One channel of a network video recorder (NVR) filming a lane: where its recordings are searched and downloaded. */
const nvrChannelSchema = z
  .object({
    /** How the recorder is shown to the admin, e.g. 1号录像机. */
    name: z.string().min(1).max(32).default('录像机'),
    kind: z.enum(['hikvision-isapi', 'onvif-profile-g']),
    /** The recorder's base URL, e.g. http://192.168.1.20 (ISAPI) or its ONVIF device service URL. */
    url: z.string().url(),
    /** ISAPI track ID (channel 1 main stream = 101) or the ONVIF recording token (up to 64 characters, ONVIF ReferenceToken). */
    channel: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'channel: 1–64 letters, digits, ., - or _'),
    username: z.string().min(1).max(64).default('admin'),
    /** The recorder password is read from this environment variable (or the sealed secrets), never from the config file. */
    passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).default('GATE_NVR_PASSWORD'),
    /** The time zone of the recorder's search and playback times: UTC, or Beijing time written with a Z (many Hikvision firmwares). */
    deviceTime: z.enum(['utc', 'beijing']).default('utc'),
    /** How long the recorder keeps its recordings (its disk overwrites older ones): fetches are retried until then. */
    keepDays: z.number().int().min(1).max(400).default(30),
    requestTimeoutMs: z.number().int().min(500).max(120_000).default(15_000)
  })
  .strict()

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
        username: z.string().optional(),
        /** The camera password is read from this environment variable, never from the config file. */
        passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).default('GATE_CAMERA_PASSWORD'),
        /** Media profile token; default: the camera's first profile. */
        profileToken: z.string().optional(),
        /** Live lane view: snapshots per second while a guard watches the lane. */
        liveFps: z.number().min(0.2).max(10).default(2),
        /** How often a connected camera is checked between events. */
        healthIntervalMs: z.number().int().min(500).max(600_000).default(5_000),
        requestTimeoutMs: z.number().int().min(200).max(60_000).default(5_000),
        /** Where this lane's plate pushes may come from: the camera's IPs or CIDR blocks (IPv4, IPv6, ::ffff:IPv4). */
        allowFrom: z.array(z.string().refine((entry) => parseAddressBlock(entry) !== null, 'IP 地址或网段，如 192.168.1.64 或 192.168.1.0/24')).max(64).default([]),
        /** The environment variable holding the lane's push secret: key in the push URL, or the HTTP Basic/Digest password. */
        pushSecretEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
        /** A camera time further than this from the booth's platform-corrected clock is replaced by the booth's (and alarmed). */
        maxClockSkewMs: z.number().int().min(1_000).max(7 * 24 * 3600_000).default(300_000)
      })
      .strict()
      .refine((camera) => camera.kind !== 'onvif' || camera.url !== undefined, { message: 'an onvif camera needs its device service url', path: ['url'] })
      .default({ kind: 'lpr-push', passwordEnv: 'GATE_CAMERA_PASSWORD', liveFps: 2, healthIntervalMs: 5_000, requestTimeoutMs: 5_000, allowFrom: [], maxClockSkewMs: 300_000 }),
    /** barrier, display, scale: one config object per role, its `kind` from the device table (booth/devices/kinds.ts). */
    ...laneDeviceConfigSchemas,
    /** Who speaks the lane's decisions: the display's voice module (through the camera for vzenith-rs485), the booth PC, nobody. */
    voice: z.enum(['display', 'pc', 'off']).default('display'),
    /** The recorder channel(s) that film this lane (docs/video.md); none: passages keep no video reference. */
    nvr: z.array(nvrChannelSchema).max(4).default([])
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
        verifyBudgetMs: z.number().int().min(100).max(30_000).default(1_500),
        /** While nothing else talks to the platform, probe it this often so the status turns red at once (0: off). */
        probeIntervalMs: z.number().int().min(0).max(60_000).default(1_000),
        /** This city's reading of the contradictory parts of spec 4.1 (docs/platform.md); defaults follow ERRATA.md. */
        wire: z
          .object({
            /** ERRATA E01: 4.1.2/4.1.7/4.1.8 in the 4.1 envelope, or flat as printed. */
            vehicleBodies: z.enum(['envelope', 'flat']).default('envelope'),
            /** ERRATA E03: accept {code,status} and {result,err,data} from every interface, or only as printed. */
            replyStyle: z.enum(['either', 'as-printed']).default('either'),
            /** ERRATA E28: multipart file + info with base64Image, the same without base64Image, or JSON only. */
            photoUpload: z.enum(['multipart', 'multipart-without-base64', 'json-base64']).default('multipart'),
            /** ERRATA E18: 4.1.4 sends bgzt as printed, or gateSignal with the inverted 4.2.11 codes. */
            passField: z.enum(['bgzt', 'gateSignal']).default('bgzt')
          })
          .strict()
          .default({ vehicleBodies: 'envelope', replyStyle: 'either', photoUpload: 'multipart', passField: 'bgzt' })
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
        compactAfterDays: z.number().int().min(1).max(365).default(30),
        /** The guard is alarmed when the oldest waiting upload is older than this (sync_backlog). */
        backlogAlarmMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60)
      })
      .strict()
      .default({ intervalMs: 2_000, maxBackoffMs: 300_000, concurrency: 4, compactAfterDays: 30, backlogAlarmMinutes: 60 }),
    /** Lane cycle timing and alarm thresholds (docs/lane.md). */
    laneTiming: z
      .object({
        /** Reads of the same plate within this time after it left the lane (or while it is in it) are one truck. */
        dedupWindowMs: z.number().int().min(0).max(600_000).default(15_000),
        /** After the barrier was told to open: how long the arm may take to rise and the truck to reach the loop. */
        openTimeoutMs: z.number().int().min(1_000).max(600_000).default(30_000),
        /** How long a truck may stay on the loop before the passage is closed anyway. */
        passTimeoutMs: z.number().int().min(1_000).max(600_000).default(60_000),
        /** How long a refused or undecided truck is held for the guard before the passage closes as not raised. */
        decisionHoldMs: z.number().int().min(1_000).max(3_600_000).default(180_000),
        /** After getCheckVehicle failed, decide offline at once for this long before asking the platform again (0: always ask). */
        offlineRetryMs: z.number().int().min(0).max(600_000).default(15_000),
        /** Dwell alarm (B7.5 09): an entered vehicle still inside after this many minutes. */
        dwellAlarmMinutes: z.number().int().min(1).max(7 * 24 * 60).default(240),
        /** Repeated-refusal alarm: this many refusals of one plate within the window. */
        repeatedRefusals: z.number().int().min(2).max(100).default(3),
        repeatedRefusalWindowMinutes: z.number().int().min(1).max(24 * 60).default(60),
        /** A device raises 设备离线 only once it has stayed offline (or faulty) this long: a blip of a second raises nothing. */
        deviceOfflineAlarmMs: z.number().int().min(0).max(3_600_000).default(10_000)
      })
      .strict()
      .prefault({}),
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
    /** Video evidence (docs/video.md): the period of a passage's clip and how its fetch is retried. */
    video: z
      .object({
        /** The clip starts this long before the plate read … */
        preSeconds: z.number().int().min(0).max(600).default(10),
        /** … and ends this long after it. */
        postSeconds: z.number().int().min(1).max(600).default(20),
        /** The first fetch waits this long after the clip's end (the recorder writes its stream with a delay). */
        fetchDelaySeconds: z.number().int().min(0).max(3600).default(15),
        /** Retries back off from minBackoffMs doubling to maxBackoffMs. */
        minBackoffMs: z.number().int().min(100).max(3_600_000).default(5_000),
        maxBackoffMs: z.number().int().min(100).max(24 * 3_600_000).default(600_000),
        /** A recorder that answers "no recording" this long after the clip's end is believed (then the clip is missing). */
        noRecordingGraceSeconds: z.number().int().min(0).max(86_400).default(120)
      })
      .strict()
      .prefault({}),
    /** Operations: the structured log files under dataDir/logs, rotated by size and by day. */
    logs: z
      .object({ maxBytes: z.number().int().min(64 * 1024).default(10 * 1024 ** 2), maxFiles: z.number().int().min(1).max(365).default(30) })
      .strict()
      .default({ maxBytes: 10 * 1024 ** 2, maxFiles: 30 }),
    /** Operations: the key file sealing dataDir/secrets.sealed (headless host); relative to dataDir; default secrets.key. */
    secrets: z.object({ keyFile: z.string().min(1).optional() }).strict().default({}),
    /** The Electron shell of an installed booth: start with the user's session (Windows/macOS login items). */
    shell: z
      .object({
        openAtLogin: z.boolean().default(true),
        /** Origins (https://host[:port]) whose links the app may open in the system browser; none by default. */
        externalLinks: z.array(z.url({ protocol: /^https$/, error: 'an https origin, e.g. https://help.plant.example' })).default([])
      })
      .strict()
      .default({ openAtLogin: true, externalLinks: [] }),
    /**
     * Plant mode (docs/plant.md): this booth is an edge node of a plant. Its uploads go to the plant, verification goes
     * through it, and its replica follows the plant's change feed. The plant's address, certificate and this booth's
     * credential come from enrolment (dataDir/plant-link.json and the sealed secrets), not from here.
     */
    plant: z.object({ replicaIntervalMs: z.number().int().min(1_000).default(10_000) }).strict().optional()
  })
  .strict()
  .superRefine((config, ctx) => {
    // A camera port open to the LAN: anyone there could push a clean plate and lift the arm, unless each lane only
    // takes pushes from its camera's address or with its secret.
    if (isLoopbackHost(config.lpr.host)) return
    for (const [index, lane] of config.lanes.entries()) {
      if (lane.camera.allowFrom.length > 0 || lane.camera.pushSecretEnv) continue
      ctx.addIssue({
        code: 'custom',
        path: ['lanes', index, 'camera'],
        message: `车牌推送端口对局域网开放（lpr.host ${config.lpr.host}），车道 ${lane.id} 却未限定摄像机：请在 camera.allowFrom 填写该车道摄像机的 IP，或设置 camera.pushSecretEnv（推送密钥）`
      })
    }
  })

export type GateConfig = z.output<typeof configSchema>
export type LaneConfig = GateConfig['lanes'][number]
