/**
 * Synthetic 行驶证 (main and vice page) and 随车清单 pictures rendered from known field values, for the OCR tests and
 * `npm run bench -- ocr`. Everything is made up at run time from a seed: invented owners and addresses, VINs with a
 * valid check digit, plates by our plate rules — no real person's documents, no binaries in the repository. Pictures
 * are SVG laid out like the real documents, rendered by sharp (librsvg, with the Noto CJK fonts), then optionally
 * degraded: turned (skew), blurred, a glare spot, JPEG artefacts, on a desk background.
 */
import sharp from 'sharp'
import { vinCheckDigit } from '../../src/main/core/ocr/rules'
import { seededRandom } from './support'

export interface VehicleDocumentValues {
  license: string
  vehicleType: string
  /** B7.7 code of vehicleType */
  vehicleTypeCode: string
  onwer: string
  address: string
  useCharacter: string
  useCharacterCode: string
  model: string
  vin: string
  engineNo: string
  registerDate: string
  issueDate: string
  /** As the 随车清单 prints it (国六 / 国Ⅵ …) and its B7.6 code. */
  emissionPrinted: string
  emissionStandard: string
  fuelPrinted: string
  fuelType: string
}

export interface RenderStyle {
  labelFont: string
  valueFont: string
  valueWeight: 'normal' | 'bold'
  fontSize: number
  /** Degrees the document lies turned on the picture. */
  skew: number
  /** Gaussian blur sigma, 0 for none. */
  blur: number
  /** A bright glare spot over part of the page. */
  glare: boolean
  jpegQuality: number
  /** The document lies on a desk (a margin of another colour around it). */
  desk: boolean
}

export const CLEAN_STYLE: RenderStyle = {
  labelFont: 'Noto Serif CJK SC',
  valueFont: 'Noto Sans CJK SC',
  valueWeight: 'normal',
  fontSize: 26,
  skew: 0,
  blur: 0,
  glare: false,
  jpegQuality: 92,
  desk: false
}

const pick = <T>(random: () => number, items: ArrayLike<T>): T => items[Math.floor(random() * items.length)]!
const digits = (random: () => number, n: number) => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('')
const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'

/** A 17-character VIN with a Chinese maker's prefix and the check digit its other characters call for. */
export function makeVin(random: () => number): string {
  const wmi = pick(random, ['LFW', 'LZZ', 'LGA', 'LFV', 'LRD', 'LZG', 'LB9', 'LJ1'])
  const rest = Array.from({ length: 13 }, (_, i) => (i >= 7 ? pick(random, '0123456789') : pick(random, VIN_CHARS))).join('')
  const draft = `${wmi}${rest.slice(0, 5)}0${rest.slice(5)}`
  const check = vinCheckDigit(draft)!
  return `${draft.slice(0, 8)}${check}${draft.slice(9)}`
}

const PROVINCES = '豫豫豫冀晋鲁皖陕鄂苏'
const TYPES: [string, string][] = [
  ['Q11', '重型半挂牵引车'],
  ['H11', '重型普通货车'],
  ['H17', '重型自卸货车'],
  ['H14', '重型罐式货车'],
  ['H15', '重型平板货车'],
  ['H12', '重型厢式货车']
]
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'
const GIVEN = '建国志强海军明亮春华永红振宇晓东文斌立新国庆'
const PLACES = ['郑州', '洛阳', '开封', '新乡', '许昌', '平顶山', '安阳', '焦作', '商丘', '南阳']
const FIRM_WORDS = ['顺达', '恒通', '远航', '鑫源', '宏运', '安泰', '路通', '正兴', '捷运', '华联']
const STREETS = ['建设路', '中原路', '人民路', '解放大道', '文化路', '长江路', '黄河路', '工业路']
const MAKES = [
  ['解放牌', 'CA4250P66K24T1A1E5'],
  ['东风牌', 'DFH4250A2'],
  ['豪沃牌', 'ZZ4257V324HE1B'],
  ['陕汽牌', 'SX4250MC4Q'],
  ['欧曼牌', 'BJ4259SNFKB-AA'],
  ['红岩牌', 'CQ4256HTVG324V']
]
const STAGES: [string, string][] = [
  ['国六', '6'],
  ['国Ⅵ', '6'],
  ['国五', '5'],
  ['国Ⅴ', '5'],
  ['国四', '4']
]
const FUELS: [string, string][] = [
  ['柴油', 'B'],
  ['天然气', 'E'],
  ['柴油', 'B']
]

function makeDate(random: () => number, from: number, to: number): string {
  const at = new Date(from + random() * (to - from))
  return at.toISOString().slice(0, 10)
}

/** One made-up truck and its papers' values. */
export function makeVehicle(random: () => number): VehicleDocumentValues {
  const [vehicleTypeCode, vehicleType] = pick(random, TYPES)
  const place = pick(random, PLACES)
  const person = random() < 0.3
  const onwer = person ? `${pick(random, SURNAMES)}${pick(random, GIVEN)}${pick(random, GIVEN)}` : `${place}${pick(random, FIRM_WORDS)}物流有限公司`
  const [make, type] = pick(random, MAKES)
  const registerDate = makeDate(random, Date.UTC(2012, 0, 1), Date.UTC(2024, 0, 1))
  const issueDate = makeDate(random, Date.parse(registerDate), Date.parse(registerDate) + 400 * 86_400_000)
  const [emissionPrinted, emissionStandard] = pick(random, STAGES)
  const [fuelPrinted, fuelType] = pick(random, FUELS)
  const second = pick(random, PLATE_LETTERS)
  const plateTail = random() < 0.5 ? digits(random, 5) : `${pick(random, PLATE_LETTERS)}${digits(random, 4)}`
  return {
    license: `${pick(random, PROVINCES)}${second}${plateTail}`,
    vehicleType,
    vehicleTypeCode,
    onwer,
    address: `河南省${place}市${pick(random, STREETS)}${Math.floor(random() * 300) + 1}号`,
    useCharacter: '货运',
    useCharacterCode: 'F',
    model: `${make}${type}`,
    vin: makeVin(random),
    engineNo: `${pick(random, ['', 'W', 'E', 'K'])}${digits(random, 8)}`,
    registerDate,
    issueDate,
    emissionPrinted,
    emissionStandard,
    fuelPrinted,
    fuelType
  }
}

/** A style from the degraded set: any font, a turn of up to ±8°, blur, glare, lower JPEG quality, a desk. */
export function degradedStyle(random: () => number): RenderStyle {
  return {
    labelFont: pick(random, ['Noto Serif CJK SC', 'Noto Sans CJK SC']),
    valueFont: pick(random, ['Noto Sans CJK SC', 'Noto Serif CJK SC', 'Noto Sans Mono CJK SC']),
    valueWeight: random() < 0.3 ? 'bold' : 'normal',
    fontSize: 22 + Math.floor(random() * 8),
    skew: (random() * 2 - 1) * 8,
    blur: random() < 0.6 ? 0.6 + random() * 0.8 : 0,
    glare: random() < 0.5,
    jpegQuality: 55 + Math.floor(random() * 30),
    desk: true
  }
}

/** A clean style with one of the fonts (the clean set varies fonts only). */
export function cleanStyle(random: () => number): RenderStyle {
  return { ...CLEAN_STYLE, valueFont: pick(random, ['Noto Sans CJK SC', 'Noto Serif CJK SC', 'Noto Sans Mono CJK SC']), fontSize: 24 + Math.floor(random() * 5) }
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

interface Row {
  cells: [label: string, value: string][]
}

function documentSvg(title: string, rows: Row[], style: RenderStyle, width = 1200, paper = '#f3efe4'): { svg: string; width: number; height: number } {
  const line = Math.round(style.fontSize * 2.2)
  const height = 140 + rows.length * line + 60
  const columnWidth = (width - 80) / 2
  const parts: string[] = [
    `<rect width="${width}" height="${height}" fill="${paper}"/>`,
    `<rect x="16" y="16" width="${width - 32}" height="${height - 32}" fill="none" stroke="#7a6d58" stroke-width="2"/>`,
    `<text x="${width / 2}" y="80" text-anchor="middle" font-family="${style.labelFont}" font-size="${style.fontSize + 12}" font-weight="bold" fill="#222">${escape(title)}</text>`
  ]
  rows.forEach((row, index) => {
    const y = 140 + index * line
    row.cells.forEach(([label, value], column) => {
      const x = 40 + column * columnWidth
      const labelWidth = style.fontSize * 6.2
      parts.push(`<text x="${x}" y="${y}" font-family="${style.labelFont}" font-size="${style.fontSize}" fill="#4a3f30">${escape(label)}</text>`)
      parts.push(
        `<text x="${x + labelWidth}" y="${y}" font-family="${style.valueFont}" font-weight="${style.valueWeight}" font-size="${style.fontSize + 2}" fill="#111">${escape(value)}</text>`
      )
    })
  })
  return { svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`, width, height }
}

export type SyntheticDocument = 'licenseMain' | 'licenseVice' | 'goodsList'

/** The SVG of one document page for these values. */
export function documentLayout(document: SyntheticDocument, v: VehicleDocumentValues, style: RenderStyle): { svg: string; width: number; height: number } {
  const wide = (label: string, value: string): Row => ({ cells: [[label, value]] })
  const pair = (a: [string, string], b: [string, string]): Row => ({ cells: [a, b] })
  if (document === 'licenseMain') {
    return documentSvg('中华人民共和国机动车行驶证', [
      pair(['号牌号码', v.license], ['车辆类型', v.vehicleType]),
      wide('所有人', v.onwer),
      wide('住址', v.address),
      pair(['使用性质', v.useCharacter], ['品牌型号', v.model]),
      wide('车辆识别代号', v.vin),
      wide('发动机号码', v.engineNo),
      pair(['注册日期', v.registerDate], ['发证日期', v.issueDate])
    ], style)
  }
  if (document === 'licenseVice') {
    return documentSvg('中华人民共和国机动车行驶证副页', [
      pair(['号牌号码', v.license], ['档案编号', `41${v.vin.slice(-10)}`]),
      pair(['核定载人数', '2人'], ['总质量', '25000kg']),
      pair(['整备质量', '8800kg'], ['核定载质量', '--']),
      wide('外廓尺寸', '6850×2550×3800mm'),
      pair(['准牵引总质量', '40000kg'], ['备注', '']),
      wide('检验记录', `检验有效期至${Number(v.issueDate.slice(0, 4)) + 2}年${v.issueDate.slice(5, 7)}月`)
    ], style)
  }
  return documentSvg('机动车环保信息随车清单', [
    wide('信息公开编号', `CN CC G6 ${digits(seededRandom(v.vin.charCodeAt(3)), 8)}`),
    pair(['车辆型号', v.model.replace(/^.+牌/, '')], ['商标', v.model.replace(/牌.*$/, '')]),
    wide('车辆识别代号', v.vin),
    pair(['排放阶段', v.emissionPrinted], ['燃料类型', v.fuelPrinted]),
    wide('发动机型号', 'CA6DM3-46E61'),
    wide('生产企业', '某汽车制造有限公司')
  ], style, 1200, '#fbfbf8')
}

/** One document picture (JPEG) as a phone or document camera would give it. */
export async function renderDocument(document: SyntheticDocument, values: VehicleDocumentValues, style: RenderStyle): Promise<Buffer> {
  const layout = documentLayout(document, values, style)
  let page = sharp(Buffer.from(layout.svg))
  if (style.glare) {
    const cx = Math.round(layout.width * (0.3 + 0.4 * ((values.vin.charCodeAt(10) % 10) / 10)))
    const glare = `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}"><defs><radialGradient id="g"><stop offset="0" stop-color="#fff" stop-opacity="0.75"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs><ellipse cx="${cx}" cy="${Math.round(layout.height * 0.45)}" rx="${Math.round(layout.width * 0.22)}" ry="${Math.round(layout.height * 0.3)}" fill="url(#g)"/></svg>`
    page = sharp(await page.composite([{ input: Buffer.from(glare) }]).png().toBuffer())
  }
  let image = await page.png().toBuffer()
  if (style.desk) image = await sharp(image).extend({ top: 60, bottom: 60, left: 60, right: 60, background: '#5b4a3a' }).png().toBuffer()
  if (style.skew !== 0) image = await sharp(image).rotate(style.skew, { background: '#5b4a3a' }).png().toBuffer()
  let output = sharp(image)
  if (style.blur > 0.3) output = output.blur(style.blur)
  return output.jpeg({ quality: style.jpegQuality }).toBuffer()
}

/**
 * A picture as a one-frame Y4M video (4:2:0, BT.601), the format Chromium's fake camera plays
 * (`--use-file-for-fake-video-capture`): the document camera of the e2e test.
 */
export async function y4mOf(picture: Buffer): Promise<Buffer> {
  const { data, info } = await sharp(picture)
    .resize({ width: 1280, withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  const width = info.width - (info.width % 2)
  const height = info.height - (info.height % 2)
  const y = Buffer.alloc(width * height)
  const u = Buffer.alloc((width / 2) * (height / 2))
  const v = Buffer.alloc((width / 2) * (height / 2))
  const clamp = (x: number) => Math.max(0, Math.min(255, Math.round(x)))
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const at = (row * info.width + column) * info.channels
      const [r, g, b] = [data[at]!, data[at + 1]!, data[at + 2]!]
      y[row * width + column] = clamp(0.299 * r + 0.587 * g + 0.114 * b)
      if (row % 2 === 0 && column % 2 === 0) {
        const half = (row / 2) * (width / 2) + column / 2
        u[half] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)
        v[half] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)
      }
    }
  }
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), y, u, v])
}
