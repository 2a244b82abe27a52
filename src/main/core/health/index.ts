import type { DeviceHealthView, StorageStatus } from '@shared/contract'
import type { OutboxQueue } from '../sync'
import { formatBytes } from '../retention/disk-guard'

export interface HealthReport {
  status: 'ok' | 'degraded'
  version: string
  uptimeSeconds: number
  db: { ok: boolean; error: string | null }
  disk: StorageStatus
  outbox: { pending: number; dead: number }
  devices: DeviceHealthView[]
  /** The plant's link to the city platform (a booth's shows in its workspace; an edge booth has none of its own). */
  city?: CityHealth
}

/** The city-platform link without its error text (which may quote the platform's answer). */
export interface CityHealth {
  state: 'unknown' | 'online' | 'down' | 'token'
  loggedIn: boolean
  lastContactAt: string | null
}

/** The database as the health report sees it (the booth's SQLite; the plant's PostgreSQL). */
export interface DatabaseProbe {
  /** Resolves when the database answers a read; rejects with why not. */
  check(): Promise<void>
}

export interface HealthSources {
  version: string
  startedAt: number
  database: DatabaseProbe
  outbox: Pick<OutboxQueue, 'counts'>
  disk: () => StorageStatus
  devices: () => DeviceHealthView[]
  city?: () => CityHealth
  now?: () => number
}

/** What an operator (or a monitoring probe) needs at a glance; no plates, no secrets. */
export async function collectHealth(sources: HealthSources): Promise<HealthReport> {
  let db: HealthReport['db']
  try {
    await sources.database.check()
    db = { ok: true, error: null }
  } catch (error) {
    db = { ok: false, error: (error as Error).message }
  }
  const outbox = db.ok ? await sources.outbox.counts() : { pending: -1, dead: -1 }
  const disk = sources.disk()
  const devices = sources.devices()
  const healthy = db.ok && disk.level !== 'critical' && devices.every((device) => device.status === 'online')
  return {
    status: healthy ? 'ok' : 'degraded',
    version: sources.version,
    uptimeSeconds: Math.round(((sources.now ?? Date.now)() - sources.startedAt) / 1000),
    db,
    disk,
    outbox,
    devices,
    ...(sources.city ? { city: sources.city() } : {})
  }
}

const CITY_TEXT: Record<CityHealth['state'], string> = { unknown: '尚未连接', online: '正常', down: '无法连接', token: '登录失效' }

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/** A small static page of the same report (no scripts, so the strict CSP applies unchanged). */
export function healthHtml(report: HealthReport): string {
  const rows: [string, string][] = [
    ['状态', report.status === 'ok' ? '正常' : '异常'],
    ['版本', report.version],
    ['运行时长', `${Math.floor(report.uptimeSeconds / 3600)} 小时 ${Math.floor((report.uptimeSeconds % 3600) / 60)} 分`],
    ['数据库', report.db.ok ? '正常' : `异常：${report.db.error ?? ''}`],
    ['磁盘', `${report.disk.message}（共 ${formatBytes(report.disk.totalBytes)}）`],
    ['待上传', String(report.outbox.pending)],
    ['上传失败', String(report.outbox.dead)],
    ...(report.city ? [['城市平台', CITY_TEXT[report.city.state]] as [string, string]] : []),
    ...report.devices.map((device): [string, string] => [`设备 ${device.id}`, `${device.status}${device.error ? `：${device.error}` : ''}`])
  ]
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>运行状态</title>
<style>body{font-family:sans-serif;margin:24px}td,th{padding:4px 12px;border-bottom:1px solid #eee;text-align:left}</style></head>
<body><h1>运行状态</h1><table>${rows.map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>
<p><a href="/health?format=json">JSON</a></p></body></html>`
}
