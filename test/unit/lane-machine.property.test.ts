import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { initialLaneState, step, type LaneCommand, type LaneEvent, type LaneMachineState } from '../../src/main/booth/lane'

const timing = { dedupWindowMs: 5_000, openTimeoutMs: 30_000, passTimeoutMs: 60_000, decisionHoldMs: 120_000 }
const PLATES = ['豫A1', '豫A2', '豫A3', '豫A4']

type Action =
  | { kind: 'plate'; plate: number }
  | { kind: 'decide'; decision: 'allow' | 'refuse' | 'guard' }
  | { kind: 'signals'; arm: 'up' | 'down'; loop: boolean }
  | { kind: 'release' }
  | { kind: 'refuse' }
  | { kind: 'wait'; ms: number }

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('plate' as const), plate: fc.integer({ min: 0, max: PLATES.length - 1 }) }),
  fc.record({ kind: fc.constant('decide' as const), decision: fc.constantFrom('allow' as const, 'refuse' as const, 'guard' as const) }),
  fc.record({ kind: fc.constant('signals' as const), arm: fc.constantFrom('up' as const, 'down' as const), loop: fc.boolean() }),
  fc.constant({ kind: 'release' as const }),
  fc.constant({ kind: 'refuse' as const }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 200_000 }) })
)

/** Runs the actions the way the driver would (a decision only for the truck being verified), then drains the lane. */
function simulate(actions: Action[], hasBarrier: boolean) {
  let state: LaneMachineState = initialLaneState('in1', hasBarrier)
  let now = 0
  let nextId = 1
  const reads: number[] = []
  const commands: LaneCommand[] = []
  const feed = (event: LaneEvent) => {
    const result = step(state, event, timing)
    state = result.state
    commands.push(...result.commands)
  }
  const decide = (decision: 'allow' | 'refuse' | 'guard') => {
    if (state.phase !== 'verifying' || !state.current) return
    feed({ type: 'decided', at: now, readId: state.current.read.id, decision: { decision, reasonCode: decision, reasonText: decision, ledText: decision, emissionStandard: '', fuelType: '', decidedOffline: false } })
  }
  for (const a of actions) {
    now += 10
    switch (a.kind) {
      case 'plate': {
        const id = nextId++
        reads.push(id)
        feed({ type: 'plate', at: now, read: { id, plate: PLATES[a.plate]!, colour: '1', at: now } })
        break
      }
      case 'decide':
        decide(a.decision)
        break
      case 'signals':
        if (hasBarrier) feed({ type: 'signals', at: now, arm: a.arm, loopOccupied: a.loop })
        break
      case 'release':
        feed({ type: 'release', at: now, reasonText: '人工放行' })
        break
      case 'refuse':
        feed({ type: 'refuse', at: now })
        break
      case 'wait':
        now += a.ms
        feed({ type: 'tick', at: now })
        break
    }
  }
  // Drain: decide whoever is verifying, let every deadline pass.
  for (let guard = 0; guard < 10 * (reads.length + 2) && (state.current || state.queue.length > 0); guard++) {
    if (state.phase === 'verifying') decide('allow')
    else {
      now = Math.max(now, state.deadline ?? now) + 1
      feed({ type: 'tick', at: now })
    }
  }
  return { state, reads, commands }
}

describe('lane machine properties: no read is lost, no passage is closed twice', () => {
  for (const hasBarrier of [true, false]) {
    it(`${hasBarrier ? 'with' : 'without'} a barrier`, () => {
      fc.assert(
        fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
          const { state, reads, commands } = simulate(actions, hasBarrier)
          expect(state).toMatchObject({ phase: 'idle', current: null, queue: [] })
          const verified = commands.flatMap((c) => (c.type === 'verify' ? [c.read.id] : []))
          const merged = commands.flatMap((c) => (c.type === 'merged' ? [c.read.id] : []))
          // Every read is either handled once or merged into another truck.
          expect([...verified, ...merged].sort((a, b) => a - b)).toEqual(reads)
          const recorded = commands.flatMap((c) => (c.type === 'record' ? [c.readId] : []))
          const finalized = commands.flatMap((c) => (c.type === 'finalize' ? [c.readId] : []))
          // Every handled truck is recorded once and closed once, after it was recorded.
          expect([...recorded].sort((a, b) => a - b)).toEqual([...verified].sort((a, b) => a - b))
          expect([...finalized].sort((a, b) => a - b)).toEqual([...verified].sort((a, b) => a - b))
          for (const id of finalized) {
            expect(commands.findIndex((c) => c.type === 'record' && c.readId === id)).toBeLessThan(commands.findIndex((c) => c.type === 'finalize' && c.readId === id))
          }
          // The barrier is only ever opened for a truck that was decided.
          for (const c of commands) if (c.type === 'open_barrier') expect(recorded).toContain(c.readId)
        }),
        { numRuns: 400 }
      )
    })
  }
})
