/**
 * The booth PC speaks a lane's decision (`lanes[].voice: "pc"`): the real renderer in Chromium hears `lane.voice`
 * from the headless host and hands the sentence to the browser's speech synthesis in zh-CN. The synthesis is
 * watched, not replaced by ours: an init script records each utterance before it is queued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { addUser, ApiSession, startProcess, stopProcess, tempDir, writeBoothConfig, type RunningProcess } from '../integration/support'
import { LaneBoardPage, launchChromium, LoginPage, poll } from './pages'

const password = 'e2e-voice-password'
const guard = { username: 'zhao', password: 'e2e-guard-password', role: 'guard' as const, name: '赵门卫' }
let sim: RunningProcess
let host: RunningProcess
let browser: Browser
let page: Page

/** Runs in the page before the app: every utterance queued is recorded in window.__spoken. */
const recordSpeech = `(() => {
  window.__spoken = []
  const speak = window.speechSynthesis.speak.bind(window.speechSynthesis)
  window.speechSynthesis.speak = (utterance) => {
    window.__spoken.push({ text: utterance.text, lang: utterance.lang })
    speak(utterance)
  }
})()`

beforeAll(async () => {
  sim = await startProcess('sim-platform.js', ['--port', '0', '--organ', '4110020001', '--username', 'gate01'], { SIM_PLATFORM_PASSWORD: password }, /platform-sim listening /)
  const dataDir = tempDir('e2e-voice')
  const config = writeBoothConfig(dataDir, `${sim.url}/ysgk`, {
    lanes: [
      { id: 'in1', name: '1号入口', gateCode: '01', direction: 'in', voice: 'pc' },
      { id: 'out1', name: '1号出口', gateCode: '02', direction: 'out' }
    ]
  })
  await addUser(dataDir, guard)
  host = await startProcess('host.js', ['--config', config], { GATE_PLATFORM_PASSWORD: password }, /listening /)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
  await page.addInitScript(recordSpeech)
  await page.goto(host.url)
  await new LoginPage(page).login(guard.username, guard.password)
  await new LaneBoardPage(page).waitForBoard()
})

afterAll(async () => {
  await browser?.close()
  await stopProcess(host)
  await stopProcess(sim)
})

const spoken = () => page.evaluate<{ text: string; lang: string }[]>('window.__spoken')

/** What the lane says for its decision on `plate`. */
const sentence = (plate: string, decision: string) => `${plate}，${decision === 'refuse' ? '禁止通行' : '请通行'}`

describe('the booth PC speaks the decision', () => {
  it('each decision on a "pc" lane is spoken in zh-CN; a lane whose voice is its display stays silent here', async () => {
    const api = new ApiSession(host.url)
    await api.login(guard.username, guard.password)
    const submit = async (laneId: string, plate: string) => (await api.call('plate.submit', { laneId, plate, colour: '1' })).body.result as { decision: string }
    const first = await submit('in1', '豫A00003')
    await poll(spoken).toEqual([{ text: sentence('豫A00003', first.decision), lang: 'zh-CN' }])
    await submit('out1', '豫A00004')
    const second = await submit('in1', '豫A00005')
    await poll(async () => (await spoken()).length).toBe(2)
    expect((await spoken())[1]).toEqual({ text: sentence('豫A00005', second.decision), lang: 'zh-CN' })
  })
})
