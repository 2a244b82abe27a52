import { plantCommands, type PlantCounts } from '@shared/contract'
import { ApiFailure } from '../../core/api/errors'
import { defineArea, type RootContext } from '../../core/root/area'
import { isoOf, isoOrNull } from '../../core/time'
import type { CountRow } from '../../core/reports/repo'

const DAY_MS = 86_400_000
const BEIJING_MS = 8 * 3600_000
/** Epoch ms of a Beijing day's midnight (yyyy-MM-dd). */
const beijingMidnight = (day: string) => Date.parse(`${day}T00:00:00Z`) - BEIJING_MS

/**
 * The enterprise's views in the plant's workspace (docs/plant.md): one journal across gates with the gate shown,
 * visits from the entry gate to the exit gate with their dwell, in-plant presence (厂内在场车辆), statistics per gate
 * and for the plant, and the booths: enrolment codes (with the certificate's fingerprint a booth pins) and revocation.
 */
export function plantViewsArea({ fingerprint }: { fingerprint: string }) {
  return defineArea({
    name: 'plant-views',
    needs: ['plantStore', 'clock'],
    provides: [],
    commands: plantCommands,
    create({ plantStore: store, clock }, _root: RootContext<unknown>) {
      return {
        provides: {},
        handlers: {
          'plant.journal': async ({ plate, gateCode, day, beforeId, limit }) => {
            const from = day === undefined ? undefined : beijingMidnight(day)
            const rows = await store.views.journal({ plate: plate || undefined, gateCode, from, to: from === undefined ? undefined : from + DAY_MS, beforeId, limit })
            return rows.map(({ recognizedAt, bgzt, upload, ...row }) => ({ ...row, recognizedAt: isoOf(recognizedAt), passed: bgzt === '1', upload: upload as 'pending' | 'done' | 'dead' }))
          },
          'plant.visits': async ({ day, plate }) => {
            const from = beijingMidnight(day)
            const visits = await store.views.visits({ from, to: from + DAY_MS, plate: plate || undefined, limit: 500 })
            return visits.map((visit) => ({
              plate: visit.plate,
              plateColour: visit.plateColour,
              entryGate: visit.entryGate,
              entryAt: isoOf(visit.entryAt),
              exitGate: visit.exitGate,
              exitAt: isoOrNull(visit.exitAt),
              dwellMs: visit.dwellMs
            }))
          },
          'plant.presence': async () => {
            const now = clock()
            const inside = await store.views.presence({ limit: 1000 })
            return inside.map((entry) => ({ plate: entry.plate, plateColour: entry.plateColour, gateCode: entry.gateCode, enteredAt: isoOf(entry.enteredAt), dwellMs: Math.max(0, now - entry.enteredAt) }))
          },
          'plant.statistics': async ({ from, to }) => {
            const query = { from, to, localPlatePrefixes: [] }
            const [gates, plant] = await Promise.all([store.repos.statistics.countRows(query, 'gate'), store.repos.statistics.countRows(query, 'plant')])
            const byGate = new Map<string, PlantCounts>()
            for (const row of gates) byGate.set(row.laneId, add(byGate.get(row.laneId), row))
            return {
              from,
              to,
              gates: [...byGate].sort(([a], [b]) => a.localeCompare(b)).map(([gateCode, counts]) => ({ gateCode, ...counts })),
              plant: plant.reduce<PlantCounts>((sum, row) => add(sum, row), add(undefined, null))
            }
          },
          'plant.booths': async () => ({
            fingerprint,
            booths: (await store.console.booths()).map((booth) => ({ ...booth, enrolledAt: isoOf(booth.enrolledAt), lastSeenAt: isoOrNull(booth.lastSeenAt), revokedAt: isoOrNull(booth.revokedAt) }))
          }),
          'plant.enrolmentCode': async ({ gateCode }, { actor }) => {
            if (!actor) throw new ApiFailure('unauthenticated', '请先登录')
            return { code: await store.booths.createCode(gateCode, actor.name, clock()), gateCode, fingerprint }
          },
          'plant.revokeBooth': async ({ boothId }) => ({ revoked: await store.booths.revoke(boothId, clock()) })
        }
      }
    }
  })
}

const COUNT_FIELDS = [
  'vehTotal', 'enterVehTotal', 'exitVehTotal', 'violationTotal', 'controlTotal', 'otherVehEnterTotal', 'otherVehExitTotal', 'otherAddVehTotal',
  'standard3EnterTotal', 'standard3ExitTotal', 'standard4EnterTotal', 'standard4ExitTotal', 'violationHandleTotal'
] as const satisfies readonly (keyof PlantCounts)[]

/** `sum` plus one day's row (zeros to start with). */
function add(sum: PlantCounts | undefined, row: CountRow | null): PlantCounts {
  return Object.fromEntries(COUNT_FIELDS.map((field) => [field, (sum?.[field] ?? 0) + (row?.[field] ?? 0)])) as PlantCounts
}
