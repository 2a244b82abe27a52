import type { DigestClient } from '../camera'
import { CameraCommandError, type CameraBarrierApi } from './api'

/**
 * Dahua ITC (traffic/entrance) cameras' HTTP API (CGI, Digest auth): the barrier wired to the camera through
 * `GET /cgi-bin/trafficSnap.cgi?action=openStrobe&channel=1&info.openType=Normal` and `action=closeStrobe`, each
 * answered `OK` (or `Error` with a reason); alarm inputs from `GET /cgi-bin/alarm.cgi?action=getInState`, answered
 * `result=<bit mask>` (bit 0 = input 1); `GET /cgi-bin/magicBox.cgi?action=getSystemInfo` as the probe; the last plate
 * (commissioning) from the camera's traffic records, `GET /cgi-bin/recordFinder.cgi?action=find&name=TrafficSnapEventInfo
 * &condition.StartTime=<epoch s>&condition.EndTime=<epoch s>` → `found=N`, `records[i].PlateNumber=…`,
 * `records[i].Time=yyyy-MM-dd HH:mm:ss`.
 */
export interface DahuaOptions {
  baseUrl: string
  channel: number
}

/** Throws unless a Dahua CGI answered `OK`. */
export function checkOk(status: number, text: string, what: string): void {
  if (status === 200 && /^OK\s*$/.test(text.trim())) return
  throw new CameraCommandError(`${what}：摄像机拒绝（HTTP ${status}${text.trim() ? `，${text.trim().slice(0, 80)}` : ''}）`)
}

/** `result=5` → inputs 1 and 3 active. */
export function inStateMask(text: string): number {
  const match = /^result=(\d+)\s*$/m.exec(text)
  if (!match) throw new CameraCommandError(`读取报警输入：摄像机回复格式错误（${text.trim().slice(0, 60)}）`)
  return Number(match[1])
}

/** The latest record with a plate in a `recordFinder.cgi` find answer, or null when there is none. */
export function lastFoundPlate(text: string): { plate: string; at: string } | null {
  const records = new Map<string, { plate?: string; at?: string }>()
  for (const line of text.split(/\r?\n/)) {
    const match = /^records\[(\d+)\]\.(PlateNumber|Time)=(.*)$/.exec(line.trim())
    if (!match) continue
    const record = records.get(match[1]!) ?? {}
    if (match[2] === 'PlateNumber') record.plate = match[3]!.trim()
    else record.at = match[3]!.trim()
    records.set(match[1]!, record)
  }
  let last: { plate: string; at: string } | null = null
  for (const { plate, at } of records.values()) {
    if (plate && (!last || (at ?? '') >= last.at)) last = { plate, at: at ?? '' }
  }
  return last
}

export function dahuaApi(client: DigestClient, options: DahuaOptions): CameraBarrierApi {
  const base = options.baseUrl.replace(/\/+$/, '')
  const get = async (path: string) => {
    const reply = await client.request(`${base}${path}`)
    return { status: reply.status, text: reply.body.toString('utf8') }
  }
  const strobe = async (action: 'openStrobe' | 'closeStrobe', what: string) => {
    const query = action === 'openStrobe' ? `action=openStrobe&channel=${options.channel}&info.openType=Normal` : `action=closeStrobe&channel=${options.channel}`
    const { status, text } = await get(`/cgi-bin/trafficSnap.cgi?${query}`)
    checkOk(status, text, what)
  }
  return {
    open: () => strobe('openStrobe', '抬杆'),
    lower: () => strobe('closeStrobe', '落杆'),
    async inputs(numbers) {
      const { status, text } = await get('/cgi-bin/alarm.cgi?action=getInState')
      if (status !== 200) throw new CameraCommandError(`读取报警输入：HTTP ${status}`)
      const mask = inStateMask(text)
      return new Map(numbers.map((number) => [number, (mask & (1 << (number - 1))) !== 0]))
    },
    async lastPlate() {
      const end = Math.floor(Date.now() / 1000)
      const { status, text } = await get(`/cgi-bin/recordFinder.cgi?action=find&name=TrafficSnapEventInfo&condition.StartTime=${end - 86_400}&condition.EndTime=${end}`)
      if (status !== 200 || !/^found=\d+/m.test(text)) throw new CameraCommandError(`读取车牌记录：摄像机回复格式错误（HTTP ${status}）`)
      return lastFoundPlate(text)
    },
    async probe() {
      const { status, text } = await get('/cgi-bin/magicBox.cgi?action=getSystemInfo')
      if (status !== 200 || !/^\w+=/m.test(text)) throw new CameraCommandError(`设备信息：摄像机回复格式错误（HTTP ${status}）`)
    }
  }
}
