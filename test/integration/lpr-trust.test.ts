import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSingleGate, type SingleGate } from '../../src/main/roles/single-gate'
import { ConfigError, demoConfig, DEMO_PLATFORM, parseConfig } from '../../src/main/core/config'
import { digestAuthorization } from '../../src/main/booth/devices/camera/digest-fetch'
import { startPlatformSim, type PlatformSim } from '../../src/sim/platform/server'
import { demoVehicles } from '../../src/sim/platform/demo-vehicles'
import { tempDir } from './support'
import { pushFrom, send } from './lpr-support'

const KEY = 'lane-in2-push-key'
const UNLISTED = '127.0.0.2'

let platform: PlatformSim
let app: SingleGate

/**
 * in1 takes pushes from its camera's address (127.0.0.1), in2 with its key (any address), out1 has neither and so
 * only from this machine (the port is on loopback). 127.0.0.2 is a device on the LAN that is no lane's camera.
 */
function trustConfig(dataDir: string, lpr = { host: '127.0.0.1', port: 0 }) {
  const base = demoConfig({ dataDir, platformBaseUrl: platform.baseUrl, hostPort: 0, lprPort: 0 })
  return parseConfig(
    {
      ...base,
      lanes: [
        { ...base.lanes[0]!, camera: { kind: 'lpr-push', allowFrom: ['127.0.0.1'] } },
        { id: 'in2', name: '2号入口', gateCode: '03', direction: 'in', camera: { kind: 'lpr-push', pushSecretEnv: 'TEST_LPR_KEY_IN2' } },
        { ...base.lanes[1]! }
      ],
      lpr
    },
    dataDir
  )
}

beforeAll(async () => {
  platform = await startPlatformSim({ ...DEMO_PLATFORM, port: 0, vehicles: demoVehicles })
  app = await startSingleGate({ config: trustConfig(tempDir('lpr-trust')), platformPassword: DEMO_PLATFORM.password, version: 'test', demo: true, log: () => {}, secrets: { TEST_LPR_KEY_IN2: KEY } })
})

afterAll(async () => {
  await app.close()
  await platform.close()
})

const lane = (id: string, query = '') => `${app.lpr.url}/lpr/${id}${query}`
const count = (table: string) => (app.store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
const refusals = () => app.audit.list({ limit: 100, action: 'lpr.refused' })
const refusedAlarms = () => app.alarms.list(100, true).filter((alarm) => alarm.kind === 'camera_refused')

describe('camera trust at the plate-camera port', () => {
  it('a device not listed for the lane is refused 403: nothing recorded, each refusal audited, one alarm for the sender', async () => {
    const before = { passages: count('passages'), reads: count('camera_reads') }
    const first = await pushFrom(lane('in1'), { plate: '豫A00005', colour: '1' }, { localAddress: UNLISTED })
    const second = await pushFrom(lane('in1'), { plate: '豫A00005', colour: '1' }, { localAddress: UNLISTED })
    expect(first).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: expect.stringContaining('127.0.0.2 不在车道 in1') } } })
    expect(second.status).toBe(403)
    expect({ passages: count('passages'), reads: count('camera_reads') }).toEqual(before)
    expect(app.lanes.state('in1').phase).toBe('idle')
    expect((await refusals()).filter((entry) => entry.detail.source === UNLISTED)).toHaveLength(2)
    expect(refusedAlarms()).toEqual([expect.objectContaining({ laneId: 'in1', message: expect.stringMatching(/未授权设备 127\.0\.0\.2.*已拒收.*allowFrom/) })])

    const camera = await pushFrom(lane('in1'), { plate: '豫A00005', colour: '1' }, { localAddress: '127.0.0.1' })
    expect(camera).toMatchObject({ status: 201, body: { decision: 'allow' } })
  })

  it('a lane with a key: without one the camera is challenged (no alarm), a wrong key is refused 401 and alarmed, the right one passes', async () => {
    const alarmsBefore = refusedAlarms().length
    const bare = await pushFrom(lane('in2'), { plate: '豫A10004', colour: '1' }, { localAddress: UNLISTED })
    expect(bare.status).toBe(401)
    expect(String(bare.headers['www-authenticate'])).toMatch(/Digest realm="gate-lpr".*Basic realm="gate-lpr"/)
    expect(refusedAlarms()).toHaveLength(alarmsBefore)

    const wrong = await pushFrom(lane('in2', '?key=guess'), { plate: '豫A10004', colour: '1' }, { localAddress: '127.0.0.3' })
    expect(wrong).toMatchObject({ status: 401, body: { error: { message: expect.stringContaining('密钥（key）错误') } } })
    expect(refusedAlarms().map((alarm) => alarm.message)).toContainEqual(expect.stringContaining('127.0.0.3'))
    expect(count('camera_reads')).toBe(1)

    const keyed = await pushFrom(lane('in2', `?key=${KEY}`), { plate: '豫A10004', colour: '1' }, { localAddress: UNLISTED })
    expect(keyed).toMatchObject({ status: 201, body: { outcome: 'recorded' } })
  })

  it('HTTP Basic (any user name) and HTTP Digest, as cameras answer a challenge, both pass with the key as password', async () => {
    const basic = await pushFrom(lane('in2'), { plate: '豫A00006', colour: '1' }, { headers: { Authorization: `Basic ${Buffer.from(`camera:${KEY}`).toString('base64')}` } })
    expect(basic).toMatchObject({ status: 201, body: { outcome: 'recorded' } })

    const push = { plate: '豫AD00006', colour: '4' }
    const challenged = await pushFrom(lane('in2'), push)
    const digest = String(challenged.headers['www-authenticate']).split(', Basic')[0]!
    const authorization = digestAuthorization(digest, 'POST', new URL(lane('in2')), { username: 'camera', password: KEY })
    const answered = await pushFrom(lane('in2'), push, { headers: { Authorization: authorization } })
    expect(answered).toMatchObject({ status: 201, body: { outcome: 'recorded' } })
    const badPassword = digestAuthorization(digest, 'POST', new URL(lane('in2')), { username: 'camera', password: 'guess' })
    expect((await pushFrom(lane('in2'), push, { headers: { Authorization: badPassword } })).status).toBe(401)
  })

  it('a web page is not a camera: a push with an Origin, or reaching this machine under another host name (DNS rebinding), is refused', async () => {
    const port = new URL(app.lpr.url).port
    const origin = await pushFrom(lane('out1'), { plate: '豫A00005', colour: '1' }, { headers: { Origin: 'http://attacker.example' } })
    expect(origin).toMatchObject({ status: 403, body: { error: { message: expect.stringContaining('浏览器') } } })
    const rebound = await pushFrom(lane('out1'), { plate: '豫A00005', colour: '1' }, { headers: { Host: `rebind.attacker.example:${port}` } })
    expect(rebound.status).toBe(403)
    expect(app.lanes.state('out1').phase).toBe('idle')
    expect(await pushFrom(lane('out1'), { plate: '豫A00005', colour: '1' })).toMatchObject({ status: 201 })
  })

  it('a sender over its limit is answered 429 without being read, and the audit log is not flooded', async () => {
    const sender = '127.0.0.4'
    const statuses: number[] = []
    for (let i = 0; i < 14; i++) statuses.push((await pushFrom(lane('in1'), { plate: '豫A00005', colour: '1' }, { localAddress: sender })).status)
    expect(statuses).toEqual([...Array(10).fill(403), ...Array(4).fill(429)])
    expect((await refusals()).filter((entry) => entry.detail.source === sender)).toHaveLength(10)
    expect(refusedAlarms().filter((alarm) => alarm.message.includes(sender))).toHaveLength(1)
    // Other senders and lanes are not held up.
    expect((await pushFrom(lane('in1'), { plate: '豫A00003', colour: '1' })).status).toBe(201)
  })

  it('a malformed % escape in the push URL is a 400, not a 500', async () => {
    const reply = await send(app.lpr.url, JSON.stringify({ plate: '豫A00005', colour: '1' }), { path: '/lpr/%E4%B8' })
    expect(reply).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('% 转义无效') } } })
  })
})

describe('camera trust in the config', () => {
  it('a push port open to the LAN with a lane that has neither allowFrom nor a key is a config error naming the lane', () => {
    expect(() => trustConfig(tempDir('lpr-trust-config'), { host: '0.0.0.0', port: 5781 })).toThrow(/lanes\[2\]\.camera: .*车道 out1 却未限定摄像机/)
    const base = demoConfig({ dataDir: tempDir('lpr-trust-config'), platformBaseUrl: platform.baseUrl })
    expect(() => parseConfig({ ...base, lanes: [{ ...base.lanes[0]!, camera: { kind: 'lpr-push', allowFrom: ['camera-1.local'] } }] }, '.')).toThrow(/allowFrom\[0\]: IP 地址或网段/)
  })

  it('a lane naming a key variable that is not set stops the start with what to do', async () => {
    const started = startSingleGate({ config: trustConfig(tempDir('lpr-trust-nokey')), platformPassword: DEMO_PLATFORM.password, version: 'test', demo: true, log: () => {}, secrets: {} })
    await expect(started).rejects.toThrow(ConfigError)
    await expect(started).rejects.toThrow(/车道 in2 的推送密钥环境变量 TEST_LPR_KEY_IN2 未设置/)
  })
})
