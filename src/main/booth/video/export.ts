import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CLIP_STATE_LABEL, RAISE_SOURCE_LABEL, VEHICLE_CLASS_LABEL, type ClipState } from '@shared/contract'
import { formatSpecDateTime, plateColourLabel } from '@shared/spec'
import { ApiFailure } from '../../core/api/errors'
import type { ClipRow, Store } from '../store'
import { zipStored, type ZipEntry } from './zip'

const DECISION_TEXT: Record<string, string> = { allow: '放行', refuse: '禁止通行', guard: '待人工确认' }
/** Passages and clip bytes one export may hold: beyond, the admin narrows the period (the ZIP goes back as one reply). */
const MAX_PASSAGES = 20_000
const MAX_CLIP_BYTES = 200 * 1024 ** 2

export interface ExportPeriod {
  from: string
  to: string
  laneId?: string | undefined
}

/** Beijing day yyyy-MM-dd → the instant its midnight is. */
function beijingMidnight(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`)
}

/** The clip's file name in the export: the passage's lsh, then the channel when the lane has more than one. */
function exportName(clip: ClipRow, channels: number): string {
  return channels > 1 ? `${clip.lsh}_${clip.channel}.mp4` : `${clip.lsh}.mp4`
}

/**
 * The inspector's export of a period: a ZIP holding 通行记录_<from>_<to>.xlsx (every passage with its clip's file
 * name and state) and 录像/<lsh>.mp4 for every stored clip, each checked against its recorded sha256.
 */
export async function exportPeriod(store: Store, laneNames: Map<string, string>, period: ExportPeriod): Promise<{ fileName: string; bytes: Buffer }> {
  const from = beijingMidnight(period.from)
  const to = beijingMidnight(period.to) + 24 * 3600_000
  if (!(to > from)) throw new ApiFailure('invalid_input', '结束日期不能早于开始日期')
  const passages = store.clips.passagesBetween(from, to, period.laneId, MAX_PASSAGES + 1)
  if (passages.length > MAX_PASSAGES) throw new ApiFailure('invalid_input', `该时段通行记录超过 ${MAX_PASSAGES} 条，请缩短时段分批导出`)
  const entries: ZipEntry[] = []
  let clipBytes = 0
  // exceljs takes ~0.2 s to load: on the first export, not at start.
  const { default: ExcelJS } = await import('exceljs')
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'gate-booth'
  const sheet = workbook.addWorksheet('通行记录')
  sheet.addRow(['流水号', '识别时间（北京时间）', '车道', '车牌号码', '车牌颜色', '车型', '判定', '原因', '抬杆方式', '录像文件', '录像状态', '说明']).font = { bold: true }
  for (const passage of passages) {
    const clips = store.clips.forPassage(passage.id)
    const files: string[] = []
    const states: string[] = []
    const notes: string[] = []
    for (const clip of clips) {
      states.push(CLIP_STATE_LABEL[clip.state as ClipState])
      if (clip.state === 'missing' && clip.lastError) notes.push(clip.lastError)
      if (clip.state !== 'stored' || !clip.path) continue
      clipBytes += clip.bytes ?? 0
      if (clipBytes > MAX_CLIP_BYTES) throw new ApiFailure('invalid_input', '该时段的录像超过 200 MB，请缩短时段分批导出')
      const bytes = await readClip(store, clip)
      if (!bytes) {
        notes.push('录像文件丢失或已被改动，未导出')
        continue
      }
      const name = exportName(clip, clips.length)
      entries.push({ name: `录像/${name}`, bytes })
      files.push(name)
    }
    sheet.addRow([
      passage.lsh,
      formatSpecDateTime(new Date(passage.recognizedAt)),
      laneNames.get(passage.laneId) ?? passage.laneId,
      passage.plate,
      plateColourLabel(passage.plateColour),
      // The camera's class where it gave one; empty otherwise (a guess would read as a fact).
      passage.vehicleClass ? VEHICLE_CLASS_LABEL[passage.vehicleClass] : '',
      DECISION_TEXT[passage.decision] ?? passage.decision,
      passage.reasonText,
      passage.raiseSource ? RAISE_SOURCE_LABEL[passage.raiseSource] : '未抬杆',
      files.join('、'),
      states.join('、') || '无录像机',
      notes.join('；')
    ])
  }
  sheet.columns.forEach((column, index) => (column.width = [26, 20, 12, 12, 10, 12, 12, 30, 12, 34, 10, 40][index] ?? 12))
  sheet.views = [{ state: 'frozen', ySplit: 1 }]
  const range = period.from === period.to ? period.from : `${period.from}_${period.to}`
  entries.unshift({ name: `通行记录_${range}.xlsx`, bytes: Buffer.from(await workbook.xlsx.writeBuffer()) })
  return { fileName: `通行记录与录像_${range}.zip`, bytes: await zipStored(entries) }
}

/** A stored clip's bytes, or null when the file is gone or no longer the one recorded (sha256). */
export async function readClip(store: Store, clip: ClipRow): Promise<Buffer | null> {
  if (!clip.path) return null
  try {
    const bytes = await readFile(join(store.clipRoot, clip.path))
    return createHash('sha256').update(bytes).digest('hex') === clip.sha256 ? bytes : null
  } catch {
    return null
  }
}
