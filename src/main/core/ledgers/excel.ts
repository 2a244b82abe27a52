import ExcelJS from 'exceljs'
import type { z } from 'zod'
import {
  goodsRecordInputSchema,
  innerVehicleInputSchema,
  machineInputSchema,
  vehicleRegistrationInputSchema,
  type Actor,
  type ImportResult,
  type LedgerKind,
  type ReportFile,
  UPLOAD_LABEL
} from '@shared/contract'
import { formatSpecDate, formatSpecDateTime } from '@shared/spec'
import { fieldIssues } from '../api/errors'
import { FIELD_RULES } from '../platform'
import { isoOf } from '../time'
import { ENTITY_LEDGERS, LEDGER_KINDS, type EntityLedger } from './fields'
import { IMAGE_LABELS, LedgerInputError, type EntityPlan, type GoodsPlan, type LedgerService } from './service'

/**
 * Excel export and import of the ledgers, one layout for both: row 1 the Chinese column names, row 2 the spec field
 * names (the import finds its columns by them, so columns may be moved), data from row 3. Images travel as pictures
 * placed in their column's cell. Columns after the spec fields (上传状态, 最后修改) are for reading and ignored on import.
 */
const SHEET_NAMES: Record<LedgerKind, string> = { goods: '货物台账', vehicles: '车辆备案', innerVehicles: '厂内车辆', machines: '非道路移动机械' }
const GOODS_FIELDS = ['lsh', 'dzbh', 'cphm', 'cpys', 'hwmc', 'ysl', 'djsj'] as const
const FIRST_DATA_ROW = 3
const IMAGE_ROW_HEIGHT = 60
const IMAGE_SIZE = { width: 96, height: 72 }
/**
 * Pictures embedded in one export at most (bytes): a whole large ledger's images would not fit in memory or in a
 * workbook anyone can open. Beyond it an image cell says so; importing such a file keeps the images on file.
 */
const EXPORT_PICTURE_BUDGET = 50_000_000
const NOT_EMBEDDED = '有（未嵌入，导入时保留原图）'

/** 最后修改 as the admin reads it: Beijing time, yyyy-MM-dd HH:mm:ss (never a UTC ISO instant). */
function beijingTime(iso: string): string {
  const at = new Date(iso)
  return Number.isNaN(at.getTime()) ? iso : formatSpecDateTime(at)
}

function specFields(ledger: LedgerKind): string[] {
  if (ledger === 'goods') return [...GOODS_FIELDS]
  const def = ENTITY_LEDGERS[ledger]
  return [...def.fields, ...def.images]
}

function labelOf(ledger: LedgerKind, field: string): string {
  if (field in IMAGE_LABELS) return IMAGE_LABELS[field]!
  return FIELD_RULES[LEDGER_KINDS[ledger]].find((rule) => rule.name === field)?.label ?? field
}

/** Every row of a ledger matching `plate` (the list's filter) as an .xlsx workbook. */
export async function exportLedger(ledgers: LedgerService, ledger: LedgerKind, plate: string | undefined): Promise<ReportFile> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'gate-booth'
  const sheet = workbook.addWorksheet(SHEET_NAMES[ledger])
  const fields = specFields(ledger)
  sheet.addRow([...fields.map((field) => labelOf(ledger, field)), '上传状态', '最后修改']).font = { bold: true }
  const names = sheet.addRow([...fields, 'upload', 'updatedAt'])
  names.font = { italic: true, color: { argb: 'FF888888' } }
  // The spec field names are for the import, not for reading: the row stays in the file, hidden.
  names.hidden = true
  const all = { offset: 0, limit: -1 }
  if (ledger === 'goods') {
    for (const row of (await ledgers.goodsPage({ ...all, plate })).rows) {
      const values: Record<string, string> = { lsh: row.lsh, dzbh: row.gateCode, cphm: row.plate, cpys: row.plateColour, hwmc: row.hwmc, ysl: row.ysl, djsj: row.djsj }
      sheet.addRow([...fields.map((field) => values[field]), UPLOAD_LABEL[row.upload], beijingTime(row.updatedAt)])
    }
  } else {
    const def = ENTITY_LEDGERS[ledger]
    let budget = EXPORT_PICTURE_BUDGET
    for (const row of (await ledgers.page(ledger, { ...all, plate })).rows) {
      const added = sheet.addRow([...fields.map((field) => (def.images.includes(field) ? (row.images[field] ? '' : '无') : row.fields[field])), UPLOAD_LABEL[row.upload], beijingTime(isoOf(row.updatedAt))])
      for (const [field, imageId] of Object.entries(row.images)) {
        if (imageId === null) continue
        // Once the budget is spent no later picture is embedded: do not read their bytes at all.
        const jpeg = budget < 0 ? null : await ledgers.image(ledger, row.id, field)
        if (jpeg) budget -= jpeg.byteLength
        if (!jpeg || budget < 0) {
          added.getCell(fields.indexOf(field) + 1).value = NOT_EMBEDDED
          continue
        }
        const picture = workbook.addImage({ buffer: jpeg as unknown as ExcelJS.Buffer, extension: 'jpeg' })
        sheet.addImage(picture, { tl: { col: fields.indexOf(field), row: added.number - 1 }, ext: IMAGE_SIZE, editAs: 'oneCell' })
        added.height = IMAGE_ROW_HEIGHT
      }
    }
  }
  sheet.columns.forEach((column) => (column.width = 16))
  sheet.views = [{ state: 'frozen', ySplit: 2 }]
  const day = formatSpecDate(new Date())
  return {
    fileName: `${SHEET_NAMES[ledger]}-${day}.xlsx`,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64')
  }
}

/**
 * Reads a workbook in the export's layout and writes every row in one repo write (one transaction), or none: each refused row is
 * reported with its row number, spec field and reason (the same checks as the forms). A row without its required
 * image (no picture in the image cell and none on file) is a row problem.
 */
export async function importLedger(ledgers: LedgerService, ledger: LedgerKind, file: Buffer, actor: Actor | null): Promise<ImportResult> {
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(file as unknown as ExcelJS.Buffer)
  } catch {
    // exceljs says why in English (a zip or XML detail): the admin needs only what to do.
    throw new LedgerInputError([{ field: 'base64', message: '文件不是有效的 Excel 工作簿（.xlsx），请选用本系统导出的表格填写后导入' }])
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) throw new LedgerInputError([{ field: 'base64', message: '工作簿中没有工作表' }])
  const columns = new Map<string, number>()
  sheet.getRow(2).eachCell((cell, col) => columns.set(cellText(cell.value), col))
  const fields = specFields(ledger)
  const required = ledger === 'goods' ? ['lsh', 'hwmc', 'ysl'] : fields.filter((field) => !(field in IMAGE_LABELS))
  const missing = required.filter((field) => !columns.has(field))
  if (missing.length > 0) return { imported: 0, problems: missing.map((field) => ({ row: 2, field, message: `第 2 行缺少字段列 ${field}（${labelOf(ledger, field)}），请按导出的格式填写` })) }

  const pictures = picturesByCell(workbook, sheet)
  const problems: ImportResult['problems'] = []
  const goodsPlans: GoodsPlan[] = []
  const entityPlans: EntityPlan[] = []
  const seen = new Map<string, number>()
  for (let rowNumber = FIRST_DATA_ROW; rowNumber <= sheet.rowCount; rowNumber++) {
    const row = sheet.getRow(rowNumber)
    const values: Record<string, string> = {}
    for (const field of fields) {
      const col = columns.get(field)
      if (col !== undefined && !(field in IMAGE_LABELS)) values[field] = cellText(row.getCell(col).value)
    }
    const images: Record<string, string> = {}
    for (const field of fields) {
      const col = columns.get(field)
      const picture = col === undefined ? undefined : pictures.get(`${rowNumber}:${col}`)
      if (picture) images[field] = picture.toString('base64')
    }
    if (Object.values(values).every((value) => value === '') && Object.keys(images).length === 0) continue
    const rowProblems = (list: { field: string; message: string }[]) => problems.push(...list.map((problem) => ({ row: rowNumber, ...problem })))

    if (ledger === 'goods') {
      const parsed = goodsRecordInputSchema.omit({ passageId: true }).safeParse({ hwmc: values.hwmc, ysl: values.ysl })
      if (!parsed.success) {
        rowProblems(schemaProblems(parsed.error))
        continue
      }
      const key = values.lsh ?? ''
      if (duplicate(seen, key, rowNumber, rowProblems, 'lsh')) continue
      const { plan, problems: found } = await ledgers.planGoods({ lsh: key, hwmc: parsed.data.hwmc, ysl: parsed.data.ysl, weighed: false, source: 'import' })
      if (plan) goodsPlans.push(plan)
      else rowProblems(found)
      continue
    }
    const parsed = inputSchema(ledger).safeParse({ ...values, ...images })
    if (!parsed.success) {
      rowProblems(schemaProblems(parsed.error))
      continue
    }
    const input: Record<string, string | number | undefined> = parsed.data
    const def = ENTITY_LEDGERS[ledger]
    if (duplicate(seen, def.key.map((field) => String(input[field])).join(' '), rowNumber, rowProblems, def.key[0]!)) continue
    const { plan, problems: found } = await ledgers.planEntity(ledger, input)
    if (plan) entityPlans.push(plan)
    else rowProblems(found)
  }
  if (problems.length > 0) return { imported: 0, problems }
  return { imported: await ledgers.writeImport(ledger, goodsPlans, entityPlans, actor), problems: [] }
}

/** The form schema's refusals as row problems, each message naming its field. */
function schemaProblems(error: z.ZodError): { field: string; message: string }[] {
  return fieldIssues(error).map(({ path, message }) => ({ field: path, message: `${path}：${message}` }))
}

function inputSchema(ledger: EntityLedger) {
  switch (ledger) {
    case 'vehicles':
      return vehicleRegistrationInputSchema
    case 'innerVehicles':
      return innerVehicleInputSchema
    case 'machines':
      return machineInputSchema
  }
}

/** A second row for the same vehicle, machine or passage in one file is refused: which one should win is unclear. */
function duplicate(seen: Map<string, number>, key: string, rowNumber: number, report: (list: { field: string; message: string }[]) => void, field: string): boolean {
  const first = seen.get(key)
  if (first === undefined) {
    seen.set(key, rowNumber)
    return false
  }
  report([{ field, message: `与第 ${first} 行重复（${key}）` }])
  return true
}

/** The pictures of the sheet by the cell of their top-left corner ("row:col", 1-based). */
function picturesByCell(workbook: ExcelJS.Workbook, sheet: ExcelJS.Worksheet): Map<string, Buffer> {
  const pictures = new Map<string, Buffer>()
  for (const image of sheet.getImages()) {
    const media = workbook.getImage(Number(image.imageId))
    if (!media?.buffer) continue
    const { nativeRow, nativeCol } = image.range.tl
    pictures.set(`${nativeRow + 1}:${nativeCol + 1}`, Buffer.from(media.buffer as unknown as Uint8Array))
  }
  return pictures
}

/** A cell as the text the admin sees: dates as yyyy-MM-dd (Excel's dates are UTC midnights), numbers as typed. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('').trim()
    if ('text' in value) return String(value.text).trim()
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue)
    return ''
  }
  return String(value).trim()
}
