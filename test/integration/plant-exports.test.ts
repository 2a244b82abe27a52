import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enrolAtPlant, PlantLink } from '../../src/main/booth/plant-link/client'
import { Users } from '../../src/main/core/auth'
import { startPlant, type Plant } from '../../src/main/roles/plant'
import { DEMO_PLATFORM, numberedJpeg } from './booth'
import { passageUp, photoUp, plantBrowser, plantTestBed } from './plant-support'
import { tempDir } from './support'

const bed = plantTestBed()

/** Text a reader sees in a worksheet: every cell of every row not hidden. */
function visibleText(sheet: ExcelJS.Worksheet): string[] {
  const texts: string[] = []
  sheet.eachRow((row) => {
    if (!row.hidden) row.eachCell((cell) => texts.push(String(cell.value)))
  })
  return texts
}

describe("the plant's photos, statistics exports and health", () => {
  let plant: Plant
  let ca: string
  let dataDir: string
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && !address.internal && address.family === 'IPv4')?.address

  beforeAll(async () => {
    dataDir = tempDir('plant-exports')
    plant = await startPlant({
      config: {
        dataDir,
        database: { url: bed.cluster.createDatabase('exports') },
        platform: { baseUrl: bed.sim.baseUrl, organ: DEMO_PLATFORM.organ, username: DEMO_PLATFORM.username, passwordEnv: 'unused', requestTimeoutMs: 2_000 },
        enterprise: { name: '许昌示范钢铁有限公司', companySecretCode: 'SECRET-CODE-77' },
        listen: { host: '0.0.0.0', port: 0 },
        sync: { concurrency: 1, intervalMs: 200, maxBackoffMs: 1_000, compactAfterDays: 30 }
      },
      platformPassword: DEMO_PLATFORM.password,
      log: () => undefined
    })
    ca = readFileSync(join(dataDir, 'tls/plant.crt'), 'utf8')
    const users = new Users(plant.store.repos.users)
    await users.add({ username: 'guard', name: '值班门卫', role: 'guard', password: 'guard-pass-1' })
  })
  afterAll(() => plant?.close())

  it("serves a passage's photos through the typed API to a logged-in guard: the bytes whose SHA-256 the booth sent", async () => {
    const anonymous = plantBrowser(plant.uplink.url, ca)
    const { fingerprint } = plant
    const code = await plant.store.booths.createCode('01', '张工', Date.now())
    const link = new PlantLink(await enrolAtPlant({ url: plant.uplink.url, fingerprint, code, boothId: 'booth-01' }))
    const passage = passageUp({ gateCode: '01', direction: 'in', plate: '豫A66661', at: Date.now() - 60_000 })
    expect(await link.sendPassages([passage])).toEqual(['accepted'])
    const sent = [numberedJpeg(31, 4096), numberedJpeg(32, 4096)]
    for (const [index, jpeg] of sent.entries()) {
      const zpbh = index === 0 ? '1' : '2'
      const { record } = photoUp(join(dataDir, 'elsewhere'), passage, zpbh, 31 + index)
      expect(await link.sendPhoto(passage.lsh, zpbh, { zplx: '1', takenAt: passage.recognizedAt, record }, jpeg)).toBe('accepted')
    }
    const recorded = sent.map((jpeg) => createHash('sha256').update(jpeg).digest('hex'))

    // No session: refused before anything is read.
    expect((await anonymous.call('plant.photos', { passageId: 1 })).status).toBe(401)

    const guard = plantBrowser(plant.uplink.url, ca)
    expect((await guard.call('auth.login', { username: 'guard', password: 'guard-pass-1' })).status).toBe(200)
    const journalRow = (await guard.call('plant.journal', { gateCode: '01' })).body.result[0]
    expect(journalRow).toMatchObject({ lsh: passage.lsh, gateCode: '01' })
    const reply = await guard.call('plant.photos', { passageId: journalRow.id })
    expect(reply.status).toBe(200)
    const photos = reply.body.result as { zpbh: string; zplx: string; takenAt: string; jpegBase64: string }[]
    expect(photos.map((photo) => photo.zpbh)).toEqual(['1', '2'])
    expect(photos.map((photo) => createHash('sha256').update(Buffer.from(photo.jpegBase64, 'base64')).digest('hex'))).toEqual(recorded)
    // No file path or URL of the plant's photo store in the answer.
    expect(JSON.stringify(photos.map(({ jpegBase64: _bytes, ...rest }) => rest))).not.toMatch(/photos|\.jpg|\//)

    // A file damaged on the plant's disk is not served as if it were the booth's photo.
    writeFileSync(join(dataDir, 'photos', passage.lsh.slice(13, 19), `${passage.lsh}_2.jpg`), Buffer.from('not the photo'))
    const after = (await guard.call('plant.photos', { passageId: journalRow.id })).body.result
    expect(after.map((photo: { zpbh: string }) => photo.zpbh)).toEqual(['1'])
    expect((await guard.call('plant.photos', { passageId: 999_999 })).body.result).toEqual([])
  })

  it('exports the statistics per gate and for the plant as Excel and PDF, in Chinese with the gates by name', async () => {
    const now = Date.now()
    await plant.store.intake.passages('booth-02', [passageUp({ gateCode: '02', direction: 'in', plate: '豫A66662', at: now - 30_000, emission: '3' })], now)
    await plant.store.intake.passages('booth-03', [passageUp({ gateCode: '03', direction: 'out', plate: '豫A66662', at: now - 20_000 })], now)
    const today = new Date(now + 8 * 3600_000).toISOString().slice(0, 10)
    const guard = plantBrowser(plant.uplink.url, ca)
    expect((await guard.call('plant.statisticsExport', { from: today, to: today, format: 'xlsx' })).status).toBe(401)
    await guard.call('auth.login', { username: 'guard', password: 'guard-pass-1' })

    const whole = (await guard.call('plant.statisticsExport', { from: today, to: today, format: 'xlsx' })).body.result
    expect(whole).toMatchObject({ fileName: `统计_${today}_${today}.xlsx`, mimeType: expect.stringContaining('spreadsheetml') })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(whole.base64, 'base64') as unknown as ArrayBuffer)
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['每日统计', '分门岗统计'])
    const byGate = workbook.getWorksheet('分门岗统计')!
    expect(byGate.getRow(1).getCell(1).value).toBe('门岗')
    // Gate 01's booth is enrolled; 02 and 03 sent passages (the uplink's intake), so each has its row by name.
    const gateRows = byGate.getColumn(1).values.slice(3)
    expect(gateRows).toEqual(['01 号门', '02 号门', '03 号门'])
    const vehTotal = (name: string) => byGate.getRow(3 + gateRows.indexOf(name)).getCell(4).value
    expect([vehTotal('01 号门'), vehTotal('02 号门'), vehTotal('03 号门')]).toEqual([1, 1, 1])
    const daily = workbook.getWorksheet('每日统计')!
    const total = daily.getRow(daily.rowCount)
    expect(total.getCell(1).value).toBe('合计')
    expect(total.getCell(3).value).toBe(3) // 运输道闸总数: gate 01 enrolled, 02 and 03 with passages
    expect(total.getCell(4).value).toBe(3)
    expect(total.getCell(12).value).toBe(1) // 国三进厂车流量
    // The leak rule: what a reader sees is Chinese, dates and numbers; no field name, code or id.
    for (const sheet of workbook.worksheets) for (const text of visibleText(sheet)) expect(text).not.toMatch(/[A-Za-z_]|\d{2}\/|booth/)

    const gate = (await guard.call('plant.statisticsExport', { from: today, to: today, gateCode: '02', format: 'xlsx' })).body.result
    expect(gate.fileName).toBe(`统计_${today}_${today}_02 号门.xlsx`)
    const one = new ExcelJS.Workbook()
    await one.xlsx.load(Buffer.from(gate.base64, 'base64') as unknown as ArrayBuffer)
    expect(one.getWorksheet('分门岗统计')!.getColumn(1).values.slice(3)).toEqual(['02 号门'])
    const oneTotal = one.getWorksheet('每日统计')!.lastRow!
    expect([oneTotal.getCell(1).value, oneTotal.getCell(3).value, oneTotal.getCell(4).value]).toEqual(['合计', 1, 1]) // one gate, one passage

    const pdf = (await guard.call('plant.statisticsExport', { from: today, to: today, format: 'pdf' })).body.result
    expect(pdf.fileName).toBe(`统计_${today}_${today}.pdf`)
    const file = join(dataDir, pdf.fileName)
    writeFileSync(file, Buffer.from(pdf.base64, 'base64'))
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    expect(text).toContain('许昌示范钢铁有限公司 进出厂统计')
    expect(text).toContain('分门岗统计')
    expect(text).toContain('03 号门')
    expect(text).not.toMatch(/booth|\d{2}\/(in|out)/)

    expect((await guard.call('plant.statisticsExport', { from: today, to: '2020-01-01', format: 'xlsx' })).body.error.message).toContain('开始日期不能晚于结束日期')
  })

  it('answers GET /health with the database, the outbox and the city link, without secrets; only to loopback and allowed addresses', async () => {
    const local = plantBrowser(plant.uplink.url, ca)
    const health = await local.send('GET', '/health?format=json')
    expect(health.status).toBe(200)
    expect(health.body).toMatchObject({
      db: { ok: true, error: null },
      outbox: { pending: expect.any(Number), dead: expect.any(Number) },
      city: { state: expect.stringMatching(/^(unknown|online|down|token)$/), loggedIn: expect.any(Boolean) },
      devices: []
    })
    expect(JSON.stringify(health.body)).not.toMatch(new RegExp(`${DEMO_PLATFORM.password}|SECRET-CODE-77|postgresql://|${DEMO_PLATFORM.username}`))
    const page = await local.send('GET', '/health')
    expect(page.body).toContain('城市平台')
    expect(page.body).toContain('数据库')
    // From the LAN: refused unless plant.json's health.allow names the address (none here).
    if (lan) expect((await plantBrowser(plant.uplink.url, ca, lan).send('GET', '/health?format=json')).status).toBe(403)
  })
})
