import { afterEach, describe, expect, it } from 'vitest'
import type { Passage } from '@shared/contract'
import { addUser, ApiSession, eventually, startProcess, stopProcess, tempDir, writeBoothConfig, type RunningProcess } from './support'

const password = 'restart-test-password'
const started: RunningProcess[] = []

function startSim(port: number) {
  return startProcess('sim-platform.js', ['--port', String(port), '--organ', '4110020001', '--username', 'gate01'], { SIM_PLATFORM_PASSWORD: password }, /platform-sim listening /).then(
    (sim) => (started.push(sim), sim)
  )
}

/** A host with a logged-in guard's API session. */
async function startHost(configFile: string): Promise<{ host: RunningProcess; api: ApiSession }> {
  const host = await startProcess('host.js', ['--config', configFile], { GATE_PLATFORM_PASSWORD: password }, /listening /)
  started.push(host)
  const api = new ApiSession(host.url)
  await api.login('guard', 'guard-password')
  return { host, api }
}

async function shareDrivingRecords(simUrl: string, lsh: string): Promise<unknown[]> {
  const response = await fetch(`${simUrl}/__sim/requests?ipctype=shareDrivingRecord`)
  const requests = (await response.json()) as { value?: { lsh?: string }; reply?: { code?: string } }[]
  return requests.filter((r) => r.value?.lsh === lsh && r.reply?.code === '200')
}

afterEach(async () => {
  for (const process of started.splice(0)) await stopProcess(process, 'SIGKILL')
})

describe('a passage queued while the platform is down survives a crash of the host', () => {
  it('is uploaded exactly once after restarting with the platform up', async () => {
    // Learn a free port for the platform, then leave it dark.
    const probe = await startSim(0)
    const platformPort = Number(new URL(probe.url).port)
    await stopProcess(probe)

    const dataDir = tempDir('restart')
    const configFile = writeBoothConfig(dataDir, `http://127.0.0.1:${platformPort}/ysgk`, {
      platform: { baseUrl: `http://127.0.0.1:${platformPort}/ysgk`, organ: '4110020001', username: 'gate01', verifyBudgetMs: 300 }
    })

    await addUser(dataDir, { username: 'guard', password: 'guard-password', role: 'guard' })
    const firstHost = await startHost(configFile)
    const submitted = await firstHost.api.call('plate.submit', { laneId: 'in1', plate: '豫A24680', colour: '1' })
    expect(submitted.status).toBe(200)
    const passage = submitted.body.result as Passage
    expect(passage).toMatchObject({ decision: 'guard', decidedOffline: true, upload: 'pending' })
    await stopProcess(firstHost.host, 'SIGKILL')

    const sim = await startSim(platformPort)
    const secondHost = await startHost(configFile)
    await eventually('the record to reach the platform', async () => ((await shareDrivingRecords(sim.url, passage.lsh)).length > 0 ? true : undefined))
    const listed = await eventually('the host to show it uploaded', async () => {
      const reply = await secondHost.api.call('passages.list', {})
      const found = (reply.body.result as Passage[]).find((p) => p.lsh === passage.lsh)
      return found?.upload === 'uploaded' ? found : undefined
    })
    expect(listed.id).toBe(passage.id)

    // Let a few more sync rounds pass: the record must not be sent again.
    await secondHost.api.call('sync.now', {})
    await new Promise((r) => setTimeout(r, 500))
    expect(await shareDrivingRecords(sim.url, passage.lsh)).toHaveLength(1)
  })
})
