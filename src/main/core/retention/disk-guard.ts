import { statfsSync } from 'node:fs'
import type { StorageStatus } from '@shared/contract'
import { isoOf } from '../time'

export type DiskLevel = StorageStatus['level']

export interface DiskThresholds {
  warnFreeBytes: number
  criticalFreeBytes: number
}

export function diskLevel(freeBytes: number, thresholds: DiskThresholds): DiskLevel {
  if (freeBytes < thresholds.criticalFreeBytes) return 'critical'
  if (freeBytes < thresholds.warnFreeBytes) return 'warn'
  return 'ok'
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`

export function diskMessage(level: DiskLevel, freeBytes: number): string {
  if (level === 'critical') return `磁盘空间严重不足（剩余 ${gib(freeBytes)}），请立即清理或更换磁盘；未上传的数据不会被删除`
  if (level === 'warn') return `磁盘空间不足（剩余 ${gib(freeBytes)}），请尽快处理`
  return `磁盘空间正常（剩余 ${gib(freeBytes)}）`
}

export interface DiskSpace {
  freeBytes: number
  totalBytes: number
}

export function diskSpaceOf(dir: string): DiskSpace {
  const stats = statfsSync(dir)
  return { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize }
}

export interface DiskGuardOptions extends DiskThresholds {
  dir: string
  intervalMs: number
  /** Called on the first check and whenever the level changes. */
  onChange: (status: StorageStatus) => void
  measure?: (dir: string) => DiskSpace
  now?: () => number
}

/**
 * Watches free space where the data lives and warns early. It only warns: nothing is deleted to make room, because
 * the only data it could delete is data the platform may not have yet.
 */
export class DiskGuard {
  private timer: NodeJS.Timeout | null = null
  private lastLevel: DiskLevel | null = null
  private last: StorageStatus | null = null

  constructor(private readonly options: DiskGuardOptions) {}

  check(): StorageStatus {
    const { freeBytes, totalBytes } = (this.options.measure ?? diskSpaceOf)(this.options.dir)
    const level = diskLevel(freeBytes, this.options)
    const status: StorageStatus = {
      dataDir: this.options.dir,
      freeBytes,
      totalBytes,
      level,
      message: diskMessage(level, freeBytes),
      checkedAt: isoOf((this.options.now ?? Date.now)())
    }
    this.last = status
    if (level !== this.lastLevel) {
      this.lastLevel = level
      this.options.onChange(status)
    }
    return status
  }

  status(): StorageStatus {
    return this.last ?? this.check()
  }

  start(): void {
    this.check()
    this.timer = setInterval(() => this.check(), this.options.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}
