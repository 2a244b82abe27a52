/**
 * getCheckVehicle round trip through the platform client against the simulator process on loopback, beside a bare
 * HTTP POST of the same request to the same simulator in the same run: the difference is the client's own cost
 * (pre-flight, envelope, HTTP exchange, reply classification and parsing).
 */
import { spawn } from 'node:child_process'
import { request } from 'node:http'
import { createInterface } from 'node:readline'
import { resolve } from 'node:path'
import { PlatformClient } from '../src/main/core/platform'
import { heading, report, sampleMicros, summarize } from './support'

const ORGAN = '4110020001'
const USERNAME = 'bench'
const PASSWORD = 'bench-password'
const COUNT = 2000

async function startSimulator(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [resolve('out/main/sim-platform.js'), '--port', '0', '--organ', ORGAN, '--username', USERNAME, '--demo-vehicles'], {
    env: { ...process.env, SIM_PLATFORM_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const url = await new Promise<string>((resolveUrl, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^platform-sim listening (http:\/\/\S+)/.exec(line)
      if (match) resolveUrl(match[1]!)
    })
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)))
  })
  return { url, stop: () => child.kill('SIGTERM') }
}

/** The bare baseline: one JSON POST with Node's http module and its default keep-alive agent; body read in full. */
function barePost(url: URL, body: string): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolveBody(text))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

const sim = await startSimulator()
try {
  const baseUrl = `${sim.url}/ysgk`
  const client = new PlatformClient({ baseUrl, organ: ORGAN, username: USERNAME, password: PASSWORD, requestTimeoutMs: 5000 })
  const login = JSON.parse(
    await barePost(new URL(`${baseUrl}/restapi/transportControl/get_data`), JSON.stringify({ organ: ORGAN, ipctype: 'getAccessToken', username: USERNAME, password: PASSWORD }))
  ) as { access_token: string }
  const getData = new URL(`${baseUrl}/restapi/transportControl/get_data`)
  const checkBody = JSON.stringify({ organ: ORGAN, ipctype: 'getCheckVehicle', access_token: login.access_token, value: { license: '豫A12345', licenseColor: '1' } })
  const bareReply = JSON.parse(await barePost(getData, checkBody)) as { code: string }
  if (bareReply.code !== '200') throw new Error(`baseline request refused: ${JSON.stringify(bareReply)}`)
  if ((await client.checkVehicle('豫A12345', '1', 5000)).isControl !== '0') throw new Error('client verdict unexpected')

  heading(`getCheckVehicle round trip against the simulator process on loopback (n=${COUNT}, interleaved runs)`)
  // Alternate the two in blocks so that drift on a shared machine hits both alike.
  const bare: number[] = []
  const viaClient: number[] = []
  for (let block = 0; block < 10; block++) {
    bare.push(...(await sampleMicros(COUNT / 10, () => barePost(getData, checkBody), 20)))
    viaClient.push(...(await sampleMicros(COUNT / 10, () => client.checkVehicle('豫A12345', '1', 5000), 20)))
  }
  const baseline = summarize(bare)
  const measured = summarize(viaClient)
  report('bare HTTP POST (node:http, keep-alive)', baseline)
  report('PlatformClient.checkVehicle', measured, baseline)
  console.log(`client overhead: p50 +${(measured.p50 - baseline.p50).toFixed(0)} µs, p99 +${(measured.p99 - baseline.p99).toFixed(0)} µs`)
} finally {
  sim.stop()
}
