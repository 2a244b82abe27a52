import type { DigestClient } from '../camera'
import { CameraCommandError, type CameraBarrierApi } from './api'

/**
 * Dahua ITC (traffic/entrance) cameras' HTTP API (CGI, Digest auth): the barrier wired to the camera through
 * `GET /cgi-bin/trafficSnap.cgi?action=openStrobe&channel=1&info.openType=Normal` and `action=closeStrobe`, each
 * answered `OK` (or `Error` with a reason); alarm inputs from `GET /cgi-bin/alarm.cgi?action=getInState`, answered
 * `result=<bit mask>` (bit 0 = input 1); `GET /cgi-bin/magicBox.cgi?action=getSystemInfo` as the probe.
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
    async probe() {
      const { status, text } = await get('/cgi-bin/magicBox.cgi?action=getSystemInfo')
      if (status !== 200 || !/^\w+=/m.test(text)) throw new CameraCommandError(`设备信息：摄像机回复格式错误（HTTP ${status}）`)
    }
  }
}
