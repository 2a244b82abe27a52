import sharp from 'sharp'
import { escapeXml } from './soap'

export interface FrameScene {
  laneName: string
  /** The plate of the truck standing in the lane, or null when the lane is empty. */
  plate: string | null
  at: Date
}

const WIDTH = 640
const HEIGHT = 360

/** A lane picture as a plate camera would see it: road, a truck with its plate when one is there, a time stamp. */
export function sceneSvg({ laneName, plate, at }: FrameScene): string {
  const stamp = at.toISOString().replace('T', ' ').slice(0, 23)
  const truck = plate
    ? `<rect x="170" y="90" width="300" height="200" rx="12" fill="#d9a400"/>` +
      `<rect x="200" y="110" width="240" height="80" rx="6" fill="#5b7fa6"/>` +
      `<rect x="240" y="225" width="160" height="44" rx="4" fill="#f3c800" stroke="#111" stroke-width="3"/>` +
      `<text x="320" y="257" font-size="28" font-family="sans-serif" font-weight="bold" text-anchor="middle" fill="#111">${escapeXml(plate)}</text>`
    : ''
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">` +
    `<rect width="100%" height="100%" fill="#3a3f44"/>` +
    `<polygon points="120,${HEIGHT} 260,120 380,120 520,${HEIGHT}" fill="#55595e"/>` +
    truck +
    `<text x="12" y="28" font-size="20" font-family="sans-serif" fill="#fff">${escapeXml(laneName)}</text>` +
    `<text x="${WIDTH - 12}" y="${HEIGHT - 12}" font-size="16" font-family="monospace" text-anchor="end" fill="#fff">${stamp}</text>` +
    `</svg>`
  )
}

export function renderFrame(scene: FrameScene): Promise<Buffer> {
  return sharp(Buffer.from(sceneSvg(scene))).jpeg({ quality: 70 }).toBuffer()
}
