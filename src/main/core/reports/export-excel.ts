import ExcelJS from 'exceljs'
import type { DailyStatistics } from '@shared/contract'
import { BY_LANE, COUNT_FIELDS, COUNT_LABELS, type Breakdown } from './labels'

/**
 * The statistics as an .xlsx workbook: sheet 每日统计 (one row per day plus a 合计 row) and sheet 分车道统计 (at the
 * plant 分门岗统计). The header row carries the spec's Chinese description; row 2 the spec field name, so the file maps
 * onto 4.2.12. Lanes (gates) read by their names.
 */
export async function statisticsWorkbook(
  stats: DailyStatistics,
  title: string,
  laneName: (laneId: string) => string,
  breakdown: Breakdown = BY_LANE
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'gate-booth'
  addSheet(workbook, '每日统计', '日期', 'date', [
    ...stats.days.map((day) => ({ key: day.date, counts: day })),
    { key: '合计', counts: stats.total }
  ])
  addSheet(workbook, breakdown.sheet, breakdown.heading, 'laneId', stats.lanes.map((lane) => ({ key: laneName(lane.laneId), counts: lane })))
  workbook.title = title
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

function addSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  keyLabel: string,
  keyField: string,
  rows: { key: string; counts: Record<string, number | string | null> }[]
): void {
  const sheet = workbook.addWorksheet(name)
  sheet.addRow([keyLabel, ...COUNT_FIELDS.map((field) => COUNT_LABELS[field])]).font = { bold: true }
  const names = sheet.addRow([keyField, ...COUNT_FIELDS])
  names.font = { italic: true, color: { argb: 'FF888888' } }
  // 4.2.12 field names map the file onto the spec for software; a reader sees the Chinese row only.
  names.hidden = true
  for (const row of rows) sheet.addRow([row.key, ...COUNT_FIELDS.map((field) => row.counts[field])])
  sheet.columns.forEach((column, index) => (column.width = index === 0 ? 14 : 12))
  sheet.views = [{ state: 'frozen', xSplit: 1, ySplit: 2 }]
}
