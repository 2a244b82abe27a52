import { expect } from 'vitest'
import ExcelJS from 'exceljs'

/** The entries of a ZIP of stored (uncompressed) files, by name, read from its central directory. */
export function readStoredZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const entries = new Map<string, Buffer>()
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50)
    expect(zip.readUInt16LE(at + 10)).toBe(0)
    const size = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const extra = zip.readUInt16LE(at + 30)
    const comment = zip.readUInt16LE(at + 32)
    const local = zip.readUInt32LE(at + 42)
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    entries.set(name, zip.subarray(dataAt, dataAt + size))
    at += 46 + nameLength + extra + comment
  }
  return entries
}

/** The period export's workbook (通行记录_….xlsx in the ZIP), read back with exceljs: its sheet 通行记录 as rows of values. */
export async function exportedPassageRows(zip: Buffer): Promise<unknown[][]> {
  const entries = readStoredZip(zip)
  const workbookName = [...entries.keys()].find((name) => name.endsWith('.xlsx'))
  expect(workbookName).toMatch(/^通行记录_.+\.xlsx$/)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(entries.get(workbookName!)! as unknown as ArrayBuffer)
  // getSheetValues() is 1-based (index 0 empty), each row too: both made 0-based here.
  return (workbook.getWorksheet('通行记录')!.getSheetValues().filter(Boolean) as unknown[][]).map((row) => row.slice(1))
}
