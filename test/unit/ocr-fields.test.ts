import { describe, expect, it } from 'vitest'
import { classify, extractFields, type OcrLine } from '../../src/main/core/ocr/fields'
import { checkDate, checkEmissionStage, checkModel, checkPlate, checkVin, codeOf, vinCheckDigit, vinProblem } from '../../src/main/core/ocr/rules'
import { printBox, skewDegrees, textCrop } from '../../src/main/core/ocr/straighten'
import { makeVin } from '../integration/ocr-documents'
import { seededRandom } from '../integration/support'

const today = new Date(Date.UTC(2026, 11, 4))

/** A line as the reader gives it: text, confidence and an axis-aligned box at (x, y). */
const line = (text: string, x: number, y: number, mean = 0.99, width = text.length * 26): OcrLine => ({
  text,
  mean,
  box: [
    [x, y],
    [x + width, y],
    [x + width, y + 30],
    [x, y + 30]
  ]
})

describe('VIN rules (ISO 3779 / GB 16735)', () => {
  it('computes the check digit of position 9, X for 10', () => {
    // Textbook examples: 1M8GDM9AXKP042788 (check X) and 11111111111111111 (check 1).
    expect(vinCheckDigit('1M8GDM9AXKP042788')).toBe('X')
    expect(vinCheckDigit('11111111111111111')).toBe('1')
    expect(vinProblem('1M8GDM9AXKP042788')).toBeNull()
  })

  it('refuses a wrong check digit, a wrong length and the letters I, O, Q', () => {
    expect(vinProblem('1M8GDM9A1KP042788')).toBe('车辆识别代号第 9 位校验位不符，请核对')
    expect(vinProblem('1M8GDM9AXKP04278')).toBe('车辆识别代号应为 17 位（识别到 16 位）')
    expect(vinProblem('1M8GDM9AXKP0427O8')).toBe('车辆识别代号不含字母 I、O、Q')
  })

  it('reads O, Q and I as the digits they resemble, drops spaces and full-width forms', () => {
    expect(checkVin('1M8GDM9AXKPO42788')).toEqual({ value: '1M8GDM9AXKP042788', problem: null })
    expect(checkVin('１M8G DM9A-XKP042788')).toEqual({ value: '1M8GDM9AXKP042788', problem: null })
  })

  it('finds the VIN inside a line that took a character of its label', () => {
    expect(checkVin('号1M8GDM9AXKP042788').value).toBe('1M8GDM9AXKP042788')
    expect(checkVin('A1M8GDM9AXKP042788')).toEqual({ value: '1M8GDM9AXKP042788', problem: null })
  })

  it('the synthetic generator makes only valid VINs', () => {
    const random = seededRandom(1)
    for (let i = 0; i < 200; i++) expect(vinProblem(makeVin(random))).toBeNull()
  })
})

describe('the other field rules', () => {
  it('plates by our plate rules, a stray label character dropped', () => {
    expect(checkPlate('豫A12345')).toEqual({ value: '豫A12345', problem: null })
    expect(checkPlate('号鄂KP4352')).toEqual({ value: '鄂KP4352', problem: null })
    expect(checkPlate('豫 A·D12345')).toEqual({ value: '豫AD12345', problem: null })
    expect(checkPlate('A12345').problem).toBe('车牌号格式不正确：A12345')
  })

  it('dates as yyyy-MM-dd from the ways a document prints them, refusing impossible and future ones', () => {
    expect(checkDate('2019-05-20', today)).toEqual({ value: '2019-05-20', problem: null })
    expect(checkDate('2019年5月2日', today)).toEqual({ value: '2019-05-02', problem: null })
    expect(checkDate('2019.05.20', today).value).toBe('2019-05-20')
    expect(checkDate('2019-02-30', today).problem).toBe('日期不存在')
    expect(checkDate('2027-01-01', today).problem).toBe('日期不在合理范围内')
    expect(checkDate('五月', today).problem).toBe('日期应为 年-月-日')
  })

  it('a model is a Chinese brand then a type code; a Chinese character after the code is a misreading', () => {
    expect(checkModel('解放牌CA4250P66K24T1A1E5')).toEqual({ value: '解放牌CA4250P66K24T1A1E5', problem: null })
    expect(checkModel('欧曼牌 BJ4259SNFKB-AA')).toEqual({ value: '欧曼牌BJ4259SNFKB-AA', problem: null })
    expect(checkModel('解放牌CA4250P66K24T1A1证').problem).toBe('品牌型号应为品牌加型号代码（如 解放牌CA4250），请核对')
  })

  it('names to B7 codes: vehicle type (B7.7), use (B7.8), fuel (B7.12), emission stage (B7.6)', () => {
    expect(codeOf('vehicleType', '重型半挂牵引车')).toBe('Q11')
    expect(codeOf('vehicleType', '重型自卸货车')).toBe('H17')
    expect(codeOf('useCharacter', '货运')).toBe('F')
    expect(codeOf('fuelType', '柴油')).toBe('B')
    expect(codeOf('vehicleType', '火箭')).toBeNull()
    for (const printed of ['国六', '国Ⅵ', '国VI', 'GB17691-2018国六', '国6']) expect(checkEmissionStage(printed)).toEqual({ value: '6', problem: null })
    expect(checkEmissionStage('国五').value).toBe('5')
    expect(checkEmissionStage('国Ⅳ').value).toBe('4')
    expect(checkEmissionStage('纯电动').value).toBe('D')
    expect(checkEmissionStage('欧洲').problem).toBe('“欧洲”不是排放阶段（B7.6），请选择')
  })
})

describe('field extraction from the reader\'s lines', () => {
  const main: OcrLine[] = [
    line('中华人民共和国机动车行驶证', 300, 40),
    line('号牌号码 豫A12345', 40, 120),
    line('车辆类型 重型半挂牵引车', 560, 120),
    line('所有人 郑州恒通物流有限公司', 40, 180),
    line('住址', 40, 240, 0.99, 52),
    line('河南省郑州市金水区文化路 100 号', 220, 242, 0.97),
    line('使用性质 货运', 40, 300),
    line('品牌型号 解放牌CA4250P66K24T1A1E5', 560, 300),
    line('车辆识别代号 1M8GDM9AXKP042788', 40, 360, 0.95),
    line('发动机号码 CA6DM2-420E5', 40, 420),
    line('注册日期 2018-05-20', 40, 480),
    line('发证日期 2018-06-01', 560, 480, 0.8)
  ]

  it('tells the document by its words', () => {
    expect(classify(main)).toBe('licenseMain')
    expect(classify([line('机动车环保信息随车清单', 0, 0), line('排放阶段 国六', 0, 50), line('燃料类型 柴油', 400, 50)])).toBe('goodsList')
    expect(classify([line('号牌号码 豫A12345', 0, 0), line('档案编号 410100123456', 400, 0), line('核定载人数 2人', 0, 50)])).toBe('licenseVice')
    expect(classify([line('超市购物小票', 0, 0), line('合计 35.00 元', 0, 40)])).toBeNull()
    expect(classify([])).toBeNull()
  })

  it('finds each value beside its label (same line or the next box on the row), checked and coded', () => {
    const fields = Object.fromEntries(extractFields('licenseMain', main, today).map((field) => [field.field, field]))
    expect(Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.value]))).toEqual({
      license: '豫A12345',
      vehicleType: 'Q11',
      onwer: '郑州恒通物流有限公司',
      address: '河南省郑州市金水区文化路 100 号',
      useCharacter: 'F',
      model: '解放牌CA4250P66K24T1A1E5',
      vin: '1M8GDM9AXKP042788',
      engineNo: 'CA6DM2420E5',
      registerDate: '2018-05-20',
      issueDate: '2018-06-01'
    })
    expect(fields.license).toMatchObject({ confidence: 0.99, problem: null, low: false })
    // The reader's own confidence below 0.9 marks a field for checking even when its rule passes.
    expect(fields.issueDate).toMatchObject({ confidence: 0.8, problem: null, low: true })
  })

  it('a field failing its rule gets low confidence and the reason', () => {
    const misread = main.map((l) => (l.text.startsWith('车辆识别代号') ? line('车辆识别代号 1M8GDM9A1KP042788', 40, 360, 0.99) : l))
    const vin = extractFields('licenseMain', misread, today).find((field) => field.field === 'vin')!
    expect(vin).toMatchObject({ value: '1M8GDM9A1KP042788', confidence: 0.3, problem: '车辆识别代号第 9 位校验位不符，请核对', low: true })
  })

  it('a licence issued before its registration marks both dates', () => {
    const swapped = main.map((l) => (l.text.startsWith('发证日期') ? line('发证日期 2017-06-01', 560, 480) : l))
    const dates = extractFields('licenseMain', swapped, today).filter((field) => field.field.endsWith('Date'))
    expect(dates.map((field) => [field.field, field.problem, field.low])).toEqual([
      ['registerDate', '发证日期早于注册日期，请核对', true],
      ['issueDate', '发证日期早于注册日期，请核对', true]
    ])
  })

  it('a value run into the next label (two boxes read as one line) stops before it', () => {
    const merged = [line('使用性质 货运 品牌型号 东风牌DFH4250A2', 40, 300), line('行驶证', 0, 0)]
    const fields = extractFields('licenseMain', merged, today)
    expect(fields.map((field) => [field.field, field.value])).toEqual([
      ['useCharacter', 'F'],
      ['model', '东风牌DFH4250A2']
    ])
  })

  it('the 随车清单 gives VIN, emission stage and fuel', () => {
    const list = [line('机动车环保信息随车清单', 0, 0), line('车辆识别代号', 0, 60, 0.99, 160), line('1M8GDM9AXKP042788', 200, 62), line('排放阶段 国Ⅵ', 0, 120), line('燃料类型 天然气', 500, 120)]
    expect(extractFields('goodsList', list, today).map((field) => [field.field, field.value])).toEqual([
      ['vin', '1M8GDM9AXKP042788'],
      ['emissionStandard', '6'],
      ['fuelType', 'E']
    ])
  })
})

describe('straightening', () => {
  /** A grey picture with dark text-like lines drawn at a slope of `degrees`. */
  function linedPicture(degrees: number, width = 400, height = 300): Uint8Array {
    const gray = new Uint8Array(width * height).fill(230)
    const slope = Math.tan((degrees * Math.PI) / 180)
    for (let row = 40; row < height - 40; row += 24) {
      for (let x = 20; x < width - 20; x++) {
        if (x % 9 < 4) continue // gaps between "characters"
        for (let thickness = 0; thickness < 8; thickness++) {
          const y = Math.round(row + x * slope) + thickness
          if (y >= 0 && y < height) gray[y * width + x] = 30
        }
      }
    }
    return gray
  }

  it('measures the slope of the text lines', () => {
    for (const degrees of [0, 3, -5, 8.5]) expect(Math.abs(skewDegrees(linedPicture(degrees), 400, 300) - degrees)).toBeLessThanOrEqual(0.3)
  })

  it('a blank picture has no skew', () => {
    expect(skewDegrees(new Uint8Array(400 * 300).fill(255), 400, 300)).toBe(0)
  })

  it('finds where the print is on a dark desk, before reading', () => {
    // A 400×300 picture: dark desk, a light page from (100, 80) to (300, 220) with print lines on it.
    const gray = new Uint8Array(400 * 300).fill(60)
    for (let y = 80; y < 220; y++) for (let x = 100; x < 300; x++) gray[y * 400 + x] = 235
    for (let y = 100; y < 200; y += 20) for (let x = 110; x < 290; x++) if (x % 6 < 3) for (let t = 0; t < 6; t++) gray[(y + t) * 400 + x] = 20
    const box = printBox(gray, 400, 300)!
    // The print with a 3 % margin (12 px); the page's own border adds at most a column each side.
    expect(box.top).toBe(100 - 12)
    expect(box.top + box.height).toBe(186 + 12)
    expect(box.left).toBeGreaterThanOrEqual(99 - 12)
    expect(box.left + box.width).toBeLessThanOrEqual(301 + 12)
    expect(printBox(new Uint8Array(400 * 300).fill(200), 400, 300)).toBeNull()
  })

  it('crops to the text with a margin, inside the picture', () => {
    expect(textCrop([line('号牌号码', 100, 100, 0.99, 200), line('豫A12345', 300, 300, 0.99, 200)], 1000, 800)).toEqual({ left: 60, top: 60, width: 480, height: 310 })
    expect(textCrop([], 1000, 800)).toBeNull()
    expect(textCrop([line('号牌号码', 0, 0, 0.99, 1000)], 1000, 800)).toEqual({ left: 0, top: 0, width: 1000, height: 70 })
  })
})
