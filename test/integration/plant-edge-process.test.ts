import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openPlantStore } from '../../src/main/plant/store'
import { acceptedRequests, DEMO_PLATFORM, setFault, uploadKey } from './booth'
import { plantCommand, type PlantProcess, plantTestBed, startPlantProcess, writePlantConfig } from './plant-support'
import { eventually, postJson, startProcess, stopProcess, tempDir, tinyJpeg, writeBoothConfig, type RunningProcess } from './support'

const bed = plantTestBed()
const running: { plant?: PlantProcess; host?: RunningProcess } = {}

afterAll(async () => {
  running.plant?.child.kill('SIGKILL')
  await stopProcess(running.host, 'SIGKILL')
})

const ENV = { PLANT_PLATFORM_PASSWORD: DEMO_PLATFORM.password, GATE_PLATFORM_PASSWORD: DEMO_PLATFORM.password }

describe('an enrolled booth host as the plant\'s edge node', () => {
  it('decides from the plant\'s replica with the city down, and its passages reach the city through the plant once, across a SIGKILL of the booth mid-send', async () => {
    const dir = tempDir('edge-process')
    const databaseUrl = bed.cluster.createDatabase('edge_process')
    const plantConfig = writePlantConfig(dir, databaseUrl, bed.sim.baseUrl)
    const printed = plantCommand(plantConfig, ['enrol-code', '--gate', '01'], ENV)
    const code = /enrolment code (\S+)/.exec(printed)![1]!
    running.plant = await startPlantProcess(plantConfig, ENV)

    const boothDir = join(dir, 'booth')
    const boothConfig = writeBoothConfig(tempDir('edge-booth-config'), bed.sim.baseUrl, {
      dataDir: boothDir,
      lanes: [
        { id: 'in1', name: '1号入口', gateCode: '01', direction: 'in' },
        { id: 'out1', name: '1号出口', gateCode: '01', direction: 'out' }
      ],
      plant: { replicaIntervalMs: 1000 },
      // Every truck asks (through the plant): once the city is back, the next truck is decided online, not held for a
      // guard as an undecided truck on a lane without a barrier of ours would be.
      laneTiming: { offlineRetryMs: 0 }
    })
    const enrolled = plantCommand(
      plantConfig,
      ['enrol-booth', '--booth-config', boothConfig, '--url', running.plant.url, '--fingerprint', running.plant.fingerprint, '--code', code, '--booth-id', 'booth-01'],
      ENV
    )
    expect(enrolled).toContain('booth booth-01 enrolled at gate 01')

    const store = await openPlantStore({ connectionString: databaseUrl, photosDir: join(dir, 'plant-data/photos') })
    try {
      const inPlant = '豫A6E001'
      await store.feed.putEntity('innerVehicle', `${inPlant}/1`, { license: inPlant, licenseColor: '1', emissionStandard: '6', carStatus: '1' }, '管理员', Date.now())
      running.host = await startProcess('host.js', ['--config', boothConfig], ENV, /listening /)
      expect(running.host.output()).toContain('edge booth booth-01')
      const lprUrl = /lpr listening (http:\/\/\S+)/.exec(running.host.output())![1]!
      const push = (plate: string) => postJson(`${lprUrl}/lpr/in1`, { plate, colour: '1', images: { front: tinyJpeg(4000).toString('base64') } })

      // The city down: the in-plant vehicle filed at the plant is let in from the booth's replica.
      await setFault(bed.sim.url, 'down')
      await eventually('the replica to hold the vehicle', async () => {
        const reply = await push(inPlant)
        return reply.status === 201 && reply.body.decision === 'allow' ? reply.body : undefined
      }, 20_000)
      await setFault(bed.sim.url, 'none')

      const plates = Array.from({ length: 6 }, (_, i) => `豫A6E1${String(i).padStart(2, '0')}`)
      const lshs: string[] = []
      for (const plate of plates) {
        const reply = await push(plate)
        expect(reply.status).toBe(201)
        lshs.push(reply.body.lsh)
      }
      await stopProcess(running.host, 'SIGKILL')
      running.host = await startProcess('host.js', ['--config', boothConfig], ENV, /listening /)

      await eventually('every passage of the booth at the city', async () => {
        const keys = new Set((await acceptedRequests(bed.sim.url)).map(uploadKey))
        return lshs.every((lsh) => keys.has(lsh) && keys.has(`${lsh}_1`)) || undefined
      }, 60_000)
      const keys = (await acceptedRequests(bed.sim.url)).map(uploadKey).filter((key) => lshs.some((lsh) => key.startsWith(lsh)))
      expect([...keys].sort()).toEqual(lshs.flatMap((lsh) => [lsh, `${lsh}_1`]).sort())
      const journal = await store.views.journal({ limit: 20 })
      expect(journal.filter((row) => row.plate === inPlant)).toHaveLength(1)
      expect(new Set(journal.map((row) => row.gateCode))).toEqual(new Set(['01']))

      // An admin's lane setting at the plant (gate 01's entry lane: blue plates only) reaches the booth's lanes.
      await store.feed.putLaneSettings('01', 'in1', { allowedColours: ['2'], confirmEveryOpening: false, goodsBeforeExit: false }, '厂级管理员', Date.now())
      const restartedLpr = /lpr listening (http:\/\/\S+)/.exec(running.host.output())![1]!
      let attempt = 0
      const refused = await eventually('the lane setting to decide at the booth', async () => {
        const plate = `豫A6E2${String(attempt++).padStart(2, '0')}`
        const reply = await postJson(`${restartedLpr}/lpr/in1`, { plate, colour: '1', images: { front: tinyJpeg(4000).toString('base64') } })
        return reply.status === 201 && reply.body.decision === 'refuse' ? reply.body : undefined
      }, 20_000)
      expect(refused.reasonText).toMatch(/^本车道不允许/)
    } finally {
      await store.close()
    }
  }, 180_000)
})
