import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { browserPdfPrinter, ReportService, resolveLocalPlatePrefixes, Statistics } from '../../src/main/core/reports'
import { openStore, passagesAsRollup, StatisticsTable, type NewPassage, type Store } from '../../src/main/booth/store'
import { tempDir } from './support'

let dir: string
let store: Store
let seq = 0

const lanes = [
  { id: 'in1', gateCode: '01', direction: 'in' as const },
  { id: 'out1', gateCode: '02', direction: 'out' as const }
]
const laneName = (laneId: string) => ({ in1: '1号入口', out1: '1号出口' })[laneId] ?? '未知车道'

function record(day: string, overrides: Partial<NewPassage> & { stage?: string; isControl?: string } = {}): void {
  const { stage = '6', isControl = '0', ...rest } = overrides
  const lane = lanes.find((candidate) => candidate.id === (rest.laneId ?? 'in1'))!
  seq++
  store.passages.insert(
    {
      lsh: `LSH${seq}`,
      laneId: lane.id,
      gateCode: lane.gateCode,
      direction: lane.direction,
      plate: '豫K12345',
      plateColour: '1',
      recognizedAt: Date.parse(`${day}T01:00:00Z`),
      tgsjq: `${day} 09:00:00`,
      tgsjz: `${day} 09:00:00`,
      decision: 'allow',
      reasonCode: 'platform_allow',
      reasonText: '核验通过',
      decidedOffline: false,
      verdict: { isControl, controlReason: '', emissionStandard: stage, fuelType: 'B' },
      bgzt: '1',
      source: 'lpr',
      ...rest
    },
    Date.now()
  )
}

beforeEach(() => {
  dir = tempDir('reports')
  store = openStore(dir)
})
afterEach(() => store.close())

const localPlatePrefixes = resolveLocalPlatePrefixes('4110020001', undefined)
const statistics = () => new Statistics(store.repos.statistics, { localPlatePrefixes, lanes })

describe('daily statistics (spec 4.2.12)', () => {
  it('counts each field by its documented definition, per day and per lane', async () => {
    record('2026-11-01')
    record('2026-11-01', { laneId: 'out1' })
    record('2026-11-01', { plate: '晋A11111', stage: '3' })
    record('2026-11-01', { plate: '豫A22222', stage: '4', laneId: 'out1', source: 'manual' })
    record('2026-11-01', { isControl: '1', decision: 'refuse', reasonCode: 'platform_control', bgzt: '0' })
    record('2026-11-01', { isControl: '1', decision: 'guard', reasonCode: 'manual_release', bgzt: '1', stage: '3' })
    record('2026-11-02', { isControl: '1', reasonCode: 'forced_pass', bgzt: '1' })
    record('2026-10-31')

    const stats = await statistics().daily({ from: '2026-11-01', to: '2026-11-03' })
    expect(stats.localPlatePrefixes).toEqual(['豫K'])
    expect(stats.days.map((day) => day.date)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03'])
    expect(stats.days[0]).toEqual({
      date: '2026-11-01',
      companyTotal: 1,
      gateTotal: 2,
      vehTotal: 5,
      enterVehTotal: 3,
      exitVehTotal: 2,
      violationTotal: 1,
      controlTotal: 1,
      otherVehEnterTotal: 1,
      otherVehExitTotal: 1,
      otherAddVehTotal: 1,
      standard3EnterTotal: 2,
      standard3ExitTotal: 0,
      standard4EnterTotal: 0,
      standard4ExitTotal: 1,
      violationHandleTotal: 1
    })
    expect(stats.days[1]).toMatchObject({ vehTotal: 1, violationTotal: 1, violationHandleTotal: 0 })
    expect(stats.days[2]).toMatchObject({ vehTotal: 0 })
    expect(stats.total).toMatchObject({ vehTotal: 6, violationTotal: 2, controlTotal: 1 })
    expect(stats.lanes).toEqual([
      expect.objectContaining({ laneId: 'in1', vehTotal: 4, gateTotal: 1 }),
      expect.objectContaining({ laneId: 'out1', vehTotal: 2, gateTotal: 1 })
    ])
    expect((await statistics().daily({ from: '2026-11-01', to: '2026-11-01', laneId: 'out1' })).total).toMatchObject({ vehTotal: 2, gateTotal: 1 })
  })

  it('refuses a reversed or over-long range with a clear message', async () => {
    await expect(statistics().daily({ from: '2026-11-02', to: '2026-11-01' })).rejects.toThrow('开始日期不能晚于结束日期')
    await expect(statistics().daily({ from: '0001-01-01', to: '9999-12-31' })).rejects.toThrow('统计区间最长 366 天')
    expect((await statistics().daily({ from: '2025-11-01', to: '2026-11-01' })).days).toHaveLength(366)
  })

  it('keeps the rollup true when a passage is corrected (plate, arm state)', async () => {
    record('2026-11-01', { bgzt: '0', decision: 'guard', reasonCode: 'no_verdict' })
    expect((await statistics().daily({ from: '2026-11-01', to: '2026-11-01' })).total.vehTotal).toBe(0)
    store.db.prepare(`UPDATE passages SET bgzt = '1', plate = '晋A11111'`).run()
    const total = (await statistics().daily({ from: '2026-11-01', to: '2026-11-01' })).total
    expect(total).toMatchObject({ vehTotal: 1, otherVehEnterTotal: 1 })
    const rollup = store.db.prepare('SELECT SUM(passages) FROM passage_daily').pluck().get()
    expect(rollup).toBe(1)
  })

  it('exports an Excel workbook with the spec field names and a PDF that reads back as text', async () => {
    record('2026-11-01')
    record('2026-11-02', { plate: '晋A11111', stage: '3' })
    const service = new ReportService(statistics(), '许昌示范钢铁有限公司', browserPdfPrinter('/usr/bin/chromium'), laneName)
    const query = { from: '2026-11-01', to: '2026-11-02' }

    const xlsx = await service.export(query, 'xlsx')
    expect(xlsx.fileName).toBe('统计_2026-11-01_2026-11-02.xlsx')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(xlsx.base64, 'base64') as unknown as ArrayBuffer)
    const sheet = workbook.getWorksheet('每日统计')!
    expect(sheet.getRow(2).values).toContain('standard3EnterTotal')
    expect(sheet.getRow(1).values).toContain('国三进厂车流量')
    const lastRow = sheet.getRow(sheet.rowCount).values as unknown[]
    expect(lastRow[1]).toBe('合计')
    expect(lastRow[2 + 2]).toBe(2) // vehTotal is the third count column, after companyTotal and gateTotal
    // Lanes by their names, not their ids.
    const byLane = workbook.getWorksheet('分车道统计')!
    expect(byLane.getColumn(1).values.slice(3)).toEqual(['1号入口', '1号出口'])

    // One browser, started on the first look at the statistics and kept: the second report prints in a fresh tab.
    await service.daily(query)
    let started = performance.now()
    const pdf = await service.export(query, 'pdf')
    const first = performance.now() - started
    started = performance.now()
    const again = await service.export(query, 'pdf')
    console.log(`report PDF: first ${Math.round(first)} ms (browser warming since the statistics were shown), next ${Math.round(performance.now() - started)} ms`)
    service.close()
    expect(Buffer.from(again.base64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const file = join(dir, pdf.fileName)
    writeFileSync(file, Buffer.from(pdf.base64, 'base64'))
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    expect(text).toContain('许昌示范钢铁有限公司 进出厂统计')
    expect(text).toContain('standard3EnterTotal')
    expect(text).toContain('2026-11-02')
    expect(text).toContain('1号出口')
    expect(text).not.toMatch(/\bin1\b|\bout1\b/)
    const pages = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
    expect(pages).toMatch(/Pages:\s+[1-9]/)
  })

  it('refuses a PDF when no browser is there, with a clear error', async () => {
    const service = new ReportService(statistics(), '厂', browserPdfPrinter(join(dir, 'no-browser')), laneName)
    await expect(service.export({ from: '2026-11-01', to: '2026-11-01' }, 'pdf')).rejects.toThrow(/PDF 生成失败/)
    // Nothing stays broken: the next report tries the browser again.
    await expect(service.export({ from: '2026-11-01', to: '2026-11-01' }, 'pdf')).rejects.toThrow(/PDF 生成失败/)
  })
})

describe('the passage_daily rollup', () => {
  it('gives the same counts as the passages themselves, after inserts and corrections', () => {
    const plates = ['豫K10001', '豫A20002', '晋A30003', '豫K40004']
    for (let i = 0; i < 60; i++) {
      record(`2026-11-${String(1 + (i % 5)).padStart(2, '0')}`, {
        laneId: i % 2 === 0 ? 'in1' : 'out1',
        plate: plates[i % plates.length],
        stage: String(i % 7),
        isControl: i % 6 === 0 ? '1' : '0',
        bgzt: i % 4 === 0 ? '0' : '1',
        reasonCode: i % 5 === 0 ? 'manual_release' : 'platform_allow',
        source: i % 3 === 0 ? 'manual' : 'lpr'
      })
    }
    store.db.prepare(`UPDATE passages SET bgzt = '1' WHERE id % 7 = 0`).run()
    const table = new StatisticsTable(store.db)
    const range = { from: '2026-11-01', to: '2026-11-05', localPlatePrefixes }
    const sort = (rows: { date: string; laneId: string }[]) => [...rows].sort((a, b) => `${a.date}${a.laneId}`.localeCompare(`${b.date}${b.laneId}`))
    const fromRollup = sort(table.countRows(range))
    expect(fromRollup).toHaveLength(10)
    expect(fromRollup).toEqual(sort(table.countRows(range, passagesAsRollup())))
  })
})
