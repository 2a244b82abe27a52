/** Valid records of every 4.1 interface, shared by the pre-flight unit tests and the platform integration tests. */
import { PlatformClient, type PlatformClientOptions } from '../../src/main/core/platform'
import { startPlatformSim, type PlatformSim, type PlatformSimOptions } from '../../src/sim/platform/server'
import { tinyJpeg } from './support'

export const organ = '4110020001'
export const credentials = { username: 'gate01', password: 'pw-secret-1' }

export const driving = {
  lsh: '411002000101A261124093015',
  qybh: '4110020001',
  qymc: '许昌示范钢铁有限公司',
  dzbh: '01',
  cphm: '豫A12345',
  cpys: '1',
  tgsjq: '2026-11-24 09:30:15',
  tgsjz: '2026-11-24 09:30:20',
  tgzt: '1',
  bgzt: '1'
}
const { tgsjq: _q, tgsjz: _z, tgzt: _t, bgzt: _b, ...passage } = driving
export const photo = { ...passage, zpbh: '1', zplx: '1', pzsj: '2026-11-24 09:30:15' }
export const goods = { ...passage, hwmc: '铁矿石', ysl: '35.5', djsj: '2026-11-24 09:40:00' }
export const licenceImage = tinyJpeg(3000).toString('base64')
export const vehicle = {
  companySecretCode: 'SECRET',
  license: '豫A12345',
  licenseColor: '1',
  vehicleType: 'H11',
  vin: 'LFV2A21K0A3000001',
  useCharacter: 'A',
  engineNo: 'E123',
  onwer: '张三',
  address: '许昌市',
  model: '解放',
  registerDate: '2019-05-01',
  issueDate: '2019-05-02',
  emissionStandard: '6',
  drivingLicenseImg: licenceImage,
  drivingLicenseImg2: ''
}
export const innerVehicle = { ...vehicle, companyCode: '4110020001', carStatus: '1' }
export const machine = {
  mhyPlate: '豫A0001X',
  companySecretCode: '',
  companyCode: '4110020001',
  mhyJXMC: '装载机',
  emissionLevel: '4',
  mhyFrameNo: 'F001',
  mhyProdDate: '2020-01-01',
  imageInfo: licenceImage,
  mhyStatus: '1'
}

/** The five put_data records, each valid. */
export const putDataRecords: [ipctype: string, value: Record<string, string>][] = [
  ['shareDrivingRecord', driving],
  ['shareGoodsRecord', goods],
  ['shareVehInfo', vehicle],
  ['shareInnerVehInfo', innerVehicle],
  ['shareInnerMHYElec', machine]
]

/** An in-process simulator on 127.0.0.1 with the fixture credentials. */
export function startSim(options: Partial<PlatformSimOptions> = {}): Promise<PlatformSim> {
  return startPlatformSim({ organ, ...credentials, ...options })
}

export function clientFor(sim: { baseUrl: string }, options: Partial<PlatformClientOptions> = {}): PlatformClient {
  return new PlatformClient({ baseUrl: sim.baseUrl, organ, ...credentials, requestTimeoutMs: 5_000, ...options })
}

/** POST /__sim/fault {mode, …} on the simulator's admin endpoint. */
export async function injectFault(sim: { url: string }, fault: { mode: string; times?: number; delayMs?: number; code?: string }): Promise<void> {
  const response = await fetch(`${sim.url}/__sim/fault`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fault) })
  if (!response.ok) throw new Error(`fault injection failed: HTTP ${response.status}`)
}
