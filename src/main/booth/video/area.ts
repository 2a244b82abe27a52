import { videoCommands, type Passage, type PassageClip } from '@shared/contract'
import { ApiFailure } from '../../core/api/errors'
import type { LaneConfig } from '../../core/config'
import { diskLevel, diskSpaceOf } from '../../core/retention'
import { defineArea } from '../../core/root/area'
import { isoOf } from '../../core/time'
import type { ClipRow } from '../store'
import { clipCause, clipPeriod } from './cause'
import { exportPeriod, readClip } from './export'
import { ClipFetcher } from './fetcher'
import { isapiSource, onvifSource } from './sources'

declare module '../../core/root/area' {
  interface Provided {
    /** The clip fetch worker (tests and the benchmark tick it). */
    clipFetcher: ClipFetcher
  }
}

function toClip(row: ClipRow): PassageClip {
  return {
    passageId: row.passageId,
    lsh: row.lsh,
    recorder: row.recorder,
    channel: row.channel,
    start: isoOf(row.startAt),
    end: isoOf(row.endAt),
    state: row.state,
    cause: row.cause,
    error: row.lastError,
    attempts: row.attempts,
    bytes: row.bytes,
    durationMs: row.durationMs
  }
}

/**
 * Video evidence (docs/video.md): every passage of a lane with a recorder keeps a reference to its clip; the clips of
 * refused, forced and manually released passages, and those an admin asks for, are fetched from the recorder in the
 * background and kept beside the photos; the journal plays them; an admin exports a period with its clips.
 */
export function videoArea({ secrets }: { secrets?: Record<string, string> } = {}) {
  return defineArea({
    name: 'video',
    needs: ['store', 'clock'],
    provides: ['clipFetcher'],
    commands: videoCommands,
    create({ store, clock }, { config, events, log }) {
      const { video, retention } = config
      const lanes = new Map(config.lanes.map((lane) => [lane.id, lane]))
      const secret = (name: string) => secrets?.[name] ?? process.env[name]
      const publish = (row: ClipRow) => events.publish('clip.updated', toClip(row))
      const fetcher = new ClipFetcher({
        clips: store.clips,
        root: store.clipRoot,
        timing: { minBackoffMs: video.minBackoffMs, maxBackoffMs: video.maxBackoffMs, noRecordingGraceMs: video.noRecordingGraceSeconds * 1000 },
        recorderOf(row) {
          const lane = [...lanes.values()].find((candidate) => candidate.nvr.some((nvr) => nvr.url === row.url && nvr.channel === row.channel))
          const nvr = lane?.nvr.find((candidate) => candidate.url === row.url && candidate.channel === row.channel)
          if (!nvr) return null
          const password = secret(nvr.passwordEnv)
          const credentials = { username: nvr.username, password: password ?? '' }
          return {
            keepDays: nvr.keepDays,
            source:
              nvr.kind === 'onvif-profile-g'
                ? onvifSource({ url: nvr.url, recordingToken: nvr.channel, credentials, timeoutMs: nvr.requestTimeoutMs })
                : isapiSource({ url: nvr.url, channel: nvr.channel, credentials, deviceTime: nvr.deviceTime, timeoutMs: nvr.requestTimeoutMs }),
            ...(password ? {} : { problem: `未设置录像机密码：请设置环境变量 ${nvr.passwordEnv} 后重启本程序` })
          }
        },
        holdReason() {
          // Clips count against the same disk as the records: below the critical mark they wait, the records go first.
          try {
            const space = diskSpaceOf(config.dataDir)
            return diskLevel(space.freeBytes, { warnFreeBytes: retention.diskWarnFreeBytes, criticalFreeBytes: retention.diskCriticalFreeBytes }) === 'critical'
              ? '磁盘空间严重不足，暂停下载录像'
              : null
          } catch {
            return '无法读取磁盘空间，暂停下载录像'
          }
        },
        onChange: publish,
        now: clock,
        log
      })

      const dueAt = (row: { endAt: number }) => Math.max(clock(), row.endAt + video.fetchDelaySeconds * 1000)

      function reference(passage: Passage, lane: LaneConfig): void {
        const { startAt, endAt } = clipPeriod(Date.parse(passage.recognizedAt), video)
        store.clips.addReferences(
          lane.nvr.map((nvr) => ({ passageId: passage.id, recorder: nvr.name, kind: nvr.kind, url: nvr.url, channel: nvr.channel, startAt, endAt })),
          clock()
        )
      }

      function request(passageId: number, cause: string, retryMissing: boolean): ClipRow[] {
        const rows = store.clips.forPassage(passageId)
        const due = rows.length > 0 ? dueAt(rows[0]!) : clock()
        const changed = new Set(store.clips.request(passageId, cause, due, clock(), retryMissing))
        const after = store.clips.forPassage(passageId)
        for (const row of after) if (changed.has(row.id)) publish(row)
        if (changed.size > 0) fetcher.kick()
        return after
      }

      function onPassage(passage: Passage): void {
        const lane = lanes.get(passage.laneId)
        if (!lane || lane.nvr.length === 0) return
        try {
          reference(passage, lane)
          const cause = clipCause(passage)
          if (cause) request(passage.id, cause, false)
        } catch (error) {
          // The lane goes on whatever happens here: a clip reference is evidence, never a reason to stop a truck.
          log(`clip reference for passage ${passage.id} failed: ${(error as Error).message}`)
        }
      }
      const unsubscribe = [events.on('passage.recorded', onPassage), events.on('passage.updated', onPassage)]

      return {
        provides: { clipFetcher: fetcher },
        handlers: {
          'passage.clips': ({ passageId }) => {
            // A passage recorded before its lane named a recorder gets its reference when first looked at.
            const passage = store.passages.get(passageId)
            const lane = passage ? lanes.get(passage.laneId) : undefined
            if (passage && lane && lane.nvr.length > 0 && store.clips.forPassage(passageId).length < lane.nvr.length) reference(passage, lane)
            return store.clips.forPassage(passageId).map(toClip)
          },
          'passage.clip.video': async ({ passageId, channel }) => {
            const row = store.clips.forPassage(passageId).find((clip) => clip.channel === channel)
            if (!row || row.state !== 'stored') throw new ApiFailure('not_found', '该过车记录没有已保存的录像')
            const bytes = await readClip(store, row)
            if (!bytes) {
              // The path is for the log (whoever repairs the disk), not for the screen.
              log(`clip of passage ${passageId} channel ${channel}: ${row.path} is missing or changed`)
              throw new ApiFailure('not_found', '录像文件丢失或已被改动，请联系管理员')
            }
            return { mimeType: 'video/mp4' as const, base64: bytes.toString('base64') }
          },
          'passage.clip.request': ({ passageId }) => {
            const passage = store.passages.get(passageId)
            if (!passage) throw new ApiFailure('not_found', `没有编号为 ${passageId} 的过车记录`)
            const lane = lanes.get(passage.laneId)
            if (!lane || lane.nvr.length === 0) throw new ApiFailure('invalid_input', '该车道未配置录像机通道，无法调取录像')
            reference(passage, lane)
            return request(passageId, '管理员调取', true).map(toClip)
          },
          'video.export': async (period) => {
            const names = new Map(config.lanes.map((lane) => [lane.id, lane.name]))
            const file = await exportPeriod(store, names, period)
            return { fileName: file.fileName, mimeType: 'application/zip', base64: file.bytes.toString('base64') }
          }
        },
        start() {
          // The reference is written after the passage's own transaction: passages a crash left without one get it now
          // (and their fetch, if they matter), as far back as a recorder still keeps video.
          const filmed = config.lanes.filter((lane) => lane.nvr.length > 0)
          if (filmed.length > 0) {
            const keepMs = Math.max(...filmed.flatMap((lane) => lane.nvr.map((nvr) => nvr.keepDays))) * 24 * 3600_000
            for (const id of store.clips.passagesWithoutClips(filmed.map((lane) => lane.id), clock() - keepMs, 10_000)) {
              const passage = store.passages.get(id)
              if (passage) onPassage(passage)
            }
          }
          fetcher.start()
        },
        async stop() {
          for (const off of unsubscribe) off()
          await fetcher.stop()
        }
      }
    }
  })
}
