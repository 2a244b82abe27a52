import { describe, expect, it } from 'vitest'
import { enrolAtPlant, PlantLink } from '../../src/main/booth/plant-link/client'
import { PlantVerifier, ReplicaFollower } from '../../src/main/booth/plant-link/replica'
import { startPlant, type Plant } from '../../src/main/roles/plant'
import { DEMO_PLATFORM, plateRead, setFault, startBooth, type Booth } from './booth'
import { plantConfig, plantTestBed } from './plant-support'
import { tempDir } from './support'

const bed = plantTestBed()

const ADMIN = { actorId: '1', actorName: '管理员' }
/** The test booth's lanes (the demo config's): in1 at gate 01, out1 at gate 02. */
const DEMO_SCOPE = { gateCodes: ['01', '02'] }

describe('what lanes read, down from the plant', () => {
  it('an in-plant vehicle and a blacklist entry filed at the plant decide lanes at three booths, also while the plant is down; a booth back catches up from its revision', async () => {
    const config = plantConfig(bed.cluster.createDatabase('replica'), bed.sim.baseUrl, { concurrency: 2 })
    let plant: Plant = await startPlant({ config, platformPassword: DEMO_PLATFORM.password, log: () => undefined })
    config.listen.port = Number(new URL(plant.uplink.url).port)
    const booths: { booth: Booth; follower: ReplicaFollower }[] = []
    try {
      for (const gate of ['01', '02', '03']) {
        const code = await plant.store.booths.createCode(gate, 'test', Date.now())
        const link = new PlantLink(await enrolAtPlant({ url: plant.uplink.url, fingerprint: plant.fingerprint, code, boothId: `booth-${gate}` }), 1_000)
        const booth = await startBooth({ dataDir: tempDir(`replica-booth-${gate}`), platformBaseUrl: bed.sim.baseUrl, startSync: false, verifier: new PlantVerifier(link) })
        booths.push({ booth, follower: new ReplicaFollower(link, booth.store.plantReplica, { intervalMs: 60_000, clock: Date.now, log: () => undefined, scope: DEMO_SCOPE }) })
      }
      const inPlant = '豫A6C001'
      await plant.store.feed.putEntity('innerVehicle', `${inPlant}/1`, { license: inPlant, licenseColor: '1', emissionStandard: '6', carStatus: '1' }, '管理员', Date.now())
      await plant.store.repos.policy.addToList('black', '豫A6C002', '多次违规', ADMIN, Date.now(), null)
      for (const { follower } of booths) expect(await follower.catchUp()).toBe(2)

      // Online: the verdict comes through the plant (the booths hold no platform token of their own).
      let at = Date.now() - 600_000
      const online = await booths[0]!.booth.record(plateRead('豫A6C003', (at += 5000), []))
      expect(online.passage).toMatchObject({ decidedOffline: false, reasonCode: 'platform_allow' })

      // The city platform down: each booth decides from its replica.
      await setFault(bed.sim.url, 'down')
      for (const { booth } of booths) {
        const vehicle = (await booth.record(plateRead(inPlant, (at += 5000), []))).passage
        expect(vehicle).toMatchObject({ decision: 'allow', reasonCode: 'inner_vehicle', decidedOffline: true })
        const banned = (await booth.record(plateRead('豫A6C002', (at += 5000), []))).passage
        expect(banned.decision).toBe('refuse')
      }
      await setFault(bed.sim.url, 'none')

      // The plant down as well: still decided from the replica, within the lane's budget.
      await plant.close()
      const started = Date.now()
      const whilePlantDown = (await booths[1]!.booth.record(plateRead(inPlant, (at += 5000), []))).passage
      expect(whilePlantDown).toMatchObject({ decision: 'allow', reasonCode: 'inner_vehicle', decidedOffline: true })
      expect(Date.now() - started).toBeLessThan(5_000)
      await expect(booths[2]!.follower.catchUp()).rejects.toThrow()

      // Back: the booth catches up from the revision it holds, only what changed meanwhile.
      plant = await startPlant({ config, platformPassword: DEMO_PLATFORM.password, log: () => undefined })
      const held = booths[2]!.booth.store.plantReplica.revision()
      await plant.store.feed.putEntity('innerVehicle', `${inPlant}/1`, { license: inPlant, licenseColor: '1', emissionStandard: '6', carStatus: '2' }, '管理员', Date.now())
      await plant.store.feed.putEntity('innerVehicle', '豫A6C004/1', { license: '豫A6C004', licenseColor: '1', emissionStandard: '5', carStatus: '3' }, '管理员', Date.now())
      await plant.store.repos.policy.removeFromList('black', '豫A6C002', ADMIN, Date.now())
      expect(await booths[2]!.follower.catchUp()).toBe(3)
      expect(booths[2]!.booth.store.plantReplica.revision()).toBeGreaterThan(held)
      expect(booths[2]!.booth.store.innerVehicles.find(inPlant, '1')?.carStatus).toBe('2')
      expect(booths[2]!.booth.store.localLists.has('black', '豫A6C002', Date.now())).toBe(false)
      await setFault(bed.sim.url, 'down')
      const cancelled = (await booths[2]!.booth.record(plateRead('豫A6C004', (at += 5000), []))).passage
      expect(cancelled).toMatchObject({ decision: 'refuse', reasonCode: 'inner_vehicle_inactive', decidedOffline: true })
      await setFault(bed.sim.url, 'none')
    } finally {
      for (const { booth } of booths) await booth.close()
      await plant.close()
    }
  })

  it('an admin\'s lane setting at the plant decides a truck at its gate\'s booth, also while the plant is down; removed, the lane is back to its defaults', async () => {
    const config = plantConfig(bed.cluster.createDatabase('lane_settings'), bed.sim.baseUrl, { concurrency: 2 })
    let plant: Plant = await startPlant({ config, platformPassword: DEMO_PLATFORM.password, log: () => undefined })
    config.listen.port = Number(new URL(plant.uplink.url).port)
    const code = await plant.store.booths.createCode('01', 'test', Date.now())
    const link = new PlantLink(await enrolAtPlant({ url: plant.uplink.url, fingerprint: plant.fingerprint, code, boothId: 'booth-lanes' }), 1_000)
    const booth = await startBooth({ dataDir: tempDir('lane-settings-booth'), platformBaseUrl: bed.sim.baseUrl, startSync: false, verifier: new PlantVerifier(link) })
    const logged: string[] = []
    const follower = new ReplicaFollower(link, booth.store.plantReplica, { intervalMs: 60_000, clock: Date.now, log: (line) => logged.push(line), scope: DEMO_SCOPE })
    try {
      // Gate 01's entry lane lets only blue plates (B7.1 '2') through; the same lane id at gate 03 is another lane.
      await plant.store.feed.putLaneSettings('01', 'in1', { allowedColours: ['2'], confirmEveryOpening: false, goodsBeforeExit: false }, '厂级管理员', Date.now())
      await plant.store.feed.putLaneSettings('03', 'in1', { allowedColours: ['5'], confirmEveryOpening: false, goodsBeforeExit: false }, '厂级管理员', Date.now())
      // Whitelisted, so that with the plant down the booth would let them through on its own.
      for (const plate of ['豫A6L003', '豫A6L005']) await plant.store.repos.policy.addToList('white', plate, '', ADMIN, Date.now(), null)
      expect(await follower.catchUp()).toBe(4)
      expect(logged.filter((line) => line.includes('not kept'))).toEqual([])
      expect(booth.store.laneSettings.get('in1')).toMatchObject({ allowedColours: ['2'], updatedBy: '厂级管理员' })

      let at = Date.now() - 600_000
      const yellow = (await booth.record({ ...plateRead('豫A6L001', (at += 5000), []), colour: '1' })).passage
      expect(yellow).toMatchObject({ decision: 'refuse', reasonCode: 'lane_colour_not_allowed' })
      const blue = (await booth.record({ ...plateRead('豫A6L002', (at += 5000), []), colour: '2' })).passage
      expect(blue.decision).toBe('allow')

      // The plant down: the booth keeps the setting and still applies it.
      await plant.close()
      await expect(follower.catchUp()).rejects.toThrow()
      const whileDown = (await booth.record({ ...plateRead('豫A6L003', (at += 5000), []), colour: '1' })).passage
      expect(whileDown).toMatchObject({ decision: 'refuse', reasonCode: 'lane_colour_not_allowed', decidedOffline: true })
      const blueWhileDown = (await booth.record({ ...plateRead('豫A6L005', (at += 5000), []), colour: '2' })).passage
      expect(blueWhileDown).toMatchObject({ decision: 'allow', decidedOffline: true })

      // Back, the admin removes the setting: the lane is back to every colour.
      plant = await startPlant({ config, platformPassword: DEMO_PLATFORM.password, log: () => undefined })
      await plant.store.feed.putLaneSettings('01', 'in1', null, '厂级管理员', Date.now())
      expect(await follower.catchUp()).toBe(1)
      expect(booth.store.laneSettings.get('in1')).toMatchObject({ allowedColours: [], updatedBy: null })
      const again = (await booth.record({ ...plateRead('豫A6L005', (at += 5000), []), colour: '1' })).passage
      expect(again.decision).toBe('allow')
    } finally {
      await booth.close()
      await plant.close()
    }
  })
})
