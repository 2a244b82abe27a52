import { describe, expect, it } from 'vitest'
import { gateSignalOf, initialLaneState, laneStateView, step, type LaneCommand, type LaneEvent, type LaneMachineState, type TruckDecision } from '../../src/main/booth/lane'

const timing = { dedupWindowMs: 10_000, openTimeoutMs: 30_000, passTimeoutMs: 60_000, decisionHoldMs: 120_000 }

/** Feeds events in order; returns the final state and every command, in order. */
function run(events: LaneEvent[], hasBarrier = true): { state: LaneMachineState; commands: LaneCommand[] } {
  let state = initialLaneState('in1', hasBarrier)
  const commands: LaneCommand[] = []
  for (const event of events) {
    const result = step(state, event, timing)
    state = result.state
    commands.push(...result.commands)
  }
  return { state, commands }
}

const read = (id: number, plate: string, at = 1_000) => ({ type: 'plate' as const, at, read: { id, plate, colour: '1', at } })
const decision = (kind: TruckDecision['decision'], reasonCode = `test_${kind}`): TruckDecision => ({
  decision: kind,
  reasonCode,
  reasonText: kind,
  ledText: kind,
  emissionStandard: '6',
  fuelType: 'B',
  decidedOffline: false
})
const decided = (readId: number, kind: TruckDecision['decision'], at = 1_100) => ({ type: 'decided' as const, at, readId, decision: decision(kind) })
const signals = (at: number, arm: 'up' | 'down', loopOccupied: boolean) => ({ type: 'signals' as const, at, arm, loopOccupied })
const types = (commands: LaneCommand[]) => commands.filter((c) => c.type !== 'show').map((c) => c.type)
const finalized = (commands: LaneCommand[]) => commands.filter((c) => c.type === 'finalize').map((c) => (c.type === 'finalize' ? [c.readId, c.outcome] : null))

describe('lane machine: one truck through a barrier', () => {
  it('allow → open (before the passage is written) → loop on → loop off: passed, arm lowered, lane idle', () => {
    const { state, commands } = run([read(1, '豫A1'), decided(1, 'allow'), signals(1_200, 'up', false), signals(2_000, 'up', true), signals(3_000, 'up', false)])
    expect(types(commands)).toEqual(['verify', 'open_barrier', 'record', 'lower_barrier', 'finalize'])
    expect(finalized(commands)).toEqual([[1, 'passed']])
    expect(state).toMatchObject({ phase: 'idle', current: null, deadline: null })
  })

  it('phases as the tile shows them', () => {
    const phases = [read(1, '豫A1'), decided(1, 'allow'), signals(1_200, 'up', true)].map((_, i, all) => run(all.slice(0, i + 1)).state.phase)
    expect(phases).toEqual(['verifying', 'barrier_open', 'passing'])
  })

  it('arm raised but the truck never reached the loop: raised_not_passed at the open timeout', () => {
    const { commands, state } = run([read(1, '豫A1'), decided(1, 'allow'), signals(1_200, 'up', false), { type: 'tick', at: 1_100 + timing.openTimeoutMs }])
    expect(finalized(commands)).toEqual([[1, 'raised_not_passed']])
    expect(state.phase).toBe('idle')
  })

  it('a controller without a loop input: the arm closing after it rose closes the passage as passed', () => {
    const none = { type: 'signals' as const, at: 0, arm: 'up' as const, loopOccupied: null }
    const closed = run([read(1, '豫A1'), decided(1, 'allow'), { ...none, at: 1_200 }, { ...none, at: 4_000, arm: 'down' as const }])
    expect(finalized(closed.commands)).toEqual([[1, 'passed']])
    const timedOut = run([read(1, '豫A1'), decided(1, 'allow'), { ...none, at: 1_200 }, { type: 'tick', at: 1_100 + timing.openTimeoutMs }])
    expect(finalized(timedOut.commands)).toEqual([[1, 'passed']])
  })

  it('an early tick does nothing', () => {
    const { state } = run([read(1, '豫A1'), decided(1, 'allow'), { type: 'tick', at: 1_200 }])
    expect(state.phase).toBe('barrier_open')
  })

  it('the barrier refusing the open command hands the truck to the guard', () => {
    const { state } = run([read(1, '豫A1'), decided(1, 'allow'), { type: 'open_failed', at: 1_150, readId: 1, message: 'no answer' }])
    expect(state.phase).toBe('decided')
    expect(state.current?.decision).toMatchObject({ decision: 'guard', reasonCode: 'barrier_failed' })
  })
})

describe('lane machine: refused and held trucks', () => {
  it('holds a refused truck, then closes it as not raised at the hold timeout', () => {
    const held = run([read(1, '豫A1'), decided(1, 'refuse')])
    expect(held.state).toMatchObject({ phase: 'decided', deadline: 1_100 + timing.decisionHoldMs })
    expect(types(held.commands)).toEqual(['verify', 'record'])
    const { commands } = run([read(1, '豫A1'), decided(1, 'refuse'), { type: 'tick', at: 1_100 + timing.decisionHoldMs }])
    expect(finalized(commands)).toEqual([[1, 'not_raised']])
  })

  it('manual release opens the barrier for the held truck', () => {
    const { state, commands } = run([read(1, '豫A1'), decided(1, 'refuse'), { type: 'release', at: 5_000, reasonText: '人工放行' }])
    expect(state.phase).toBe('barrier_open')
    expect(state.current?.decision).toMatchObject({ decision: 'allow', reasonCode: 'manual_release' })
    expect(types(commands)).toEqual(['verify', 'record', 'open_barrier'])
  })

  it('manual refuse closes the passage at once; release outside the decided phase is ignored', () => {
    const { commands } = run([read(1, '豫A1'), decided(1, 'guard'), { type: 'refuse', at: 5_000 }])
    expect(finalized(commands)).toEqual([[1, 'not_raised']])
    const idle = run([{ type: 'release', at: 1, reasonText: 'x' }])
    expect(idle.commands).toEqual([])
  })

  it('a vehicle on the loop while the arm is down is a forced pass of the held truck', () => {
    const { state, commands } = run([read(1, '豫A1'), decided(1, 'refuse'), signals(1_000, 'down', false), signals(3_000, 'down', true)])
    expect(types(commands)).toEqual(['verify', 'record', 'forced_alarm', 'finalize'])
    expect(finalized(commands)).toEqual([[1, 'forced']])
    expect(commands.find((c) => c.type === 'forced_alarm')).toMatchObject({ plate: '豫A1', readId: 1 })
    expect(state.phase).toBe('idle')
  })

  it('a forced pass during verification is closed as forced once the passage is recorded', () => {
    const { commands } = run([read(1, '豫A1'), signals(1_050, 'down', true), decided(1, 'allow')])
    expect(finalized(commands)).toEqual([[1, 'forced']])
    expect(types(commands)).not.toContain('open_barrier')
  })

  it('a vehicle on the loop of an idle lane raises a forced-pass alarm without a plate', () => {
    const { commands } = run([signals(1_000, 'down', true)])
    expect(commands.find((c) => c.type === 'forced_alarm')).toMatchObject({ plate: null, readId: null })
  })
})

describe('lane machine: duplicates and queues', () => {
  it('merges repeated reads of the truck in the lane, queued, or gone within the window', () => {
    const { commands, state } = run([
      read(1, '豫A1'),
      read(2, '豫A1', 1_050),
      read(3, '豫B2', 1_060),
      read(4, '豫B2', 1_070),
      decided(1, 'allow'),
      signals(1_200, 'up', true),
      signals(1_300, 'up', false),
      read(5, '豫A1', 1_400)
    ])
    const merged = commands.filter((c) => c.type === 'merged').map((c) => (c.type === 'merged' ? [c.read.id, c.intoReadId] : null))
    expect(merged).toEqual([
      [2, 1],
      [4, 3],
      [5, 1]
    ])
    expect(state.current?.read.id).toBe(3)
  })

  it('a corrected plate is what later reads are merged on', () => {
    const { commands } = run([read(1, '豫A8888B'), decided(1, 'refuse'), { type: 'corrected', at: 2_000, readId: 1, plate: '豫A88886', colour: '1' }, read(2, '豫A88886', 2_100)])
    expect(commands.find((c) => c.type === 'merged')).toMatchObject({ intoReadId: 1 })
  })

  it('a read whose passage could not be written is not merged into: its re-send is queued while it is in the lane, verified after it left', () => {
    const unrecorded = { type: 'unrecorded' as const, at: 1_150, readId: 1 }
    const inLane = run([read(1, '豫A1'), decided(1, 'allow'), unrecorded, read(2, '豫A1', 1_200)])
    expect(inLane.commands.find((c) => c.type === 'merged')).toBeUndefined()
    expect(inLane.commands.find((c) => c.type === 'queued')).toMatchObject({ read: { id: 2 } })
    const left = run([read(1, '豫A1'), decided(1, 'allow'), signals(1_200, 'up', true), signals(1_300, 'up', false), { ...unrecorded, at: 1_350 }, read(2, '豫A1', 1_400)])
    expect(left.commands.filter((c) => c.type === 'verify').map((c) => (c.type === 'verify' ? c.read.id : null))).toEqual([1, 2])
  })

  it('the same plate after the dedup window is a new truck', () => {
    const late = 1_300 + timing.dedupWindowMs + 1
    const { commands } = run([read(1, '豫A1'), decided(1, 'allow'), signals(1_200, 'up', true), signals(1_300, 'up', false), read(2, '豫A1', late)])
    expect(commands.filter((c) => c.type === 'verify')).toHaveLength(2)
  })

  it('queues a second truck and starts it when the first has passed', () => {
    const { commands, state } = run([read(1, '豫A1'), read(2, '豫B2', 1_010), decided(1, 'allow'), signals(1_200, 'up', true)])
    expect(commands.find((c) => c.type === 'queued')).toMatchObject({ position: 1 })
    expect(laneStateView(state)).toMatchObject({ phase: 'passing', queued: 1, current: { plate: '豫A1', decision: 'allow' } })
    const after = step(state, signals(2_000, 'up', false), timing)
    expect(types(after.commands)).toEqual(['lower_barrier', 'finalize', 'verify'])
    expect(after.state).toMatchObject({ phase: 'verifying', queue: [] })
    expect(after.state.current?.read.plate).toBe('豫B2')
  })

  it('a failed verification frees the lane for the next truck', () => {
    const { state } = run([read(1, '豫A1'), read(2, '豫B2'), { type: 'failed', at: 2_000, readId: 1 }])
    expect(state.current?.read.id).toBe(2)
  })
})

const raiseOf = (commands: LaneCommand[]) => commands.flatMap((c) => (c.type === 'finalize' ? [c.raiseSource] : []))

describe('lane machine: a lane without a barrier of ours (none)', () => {
  it('closes an allowed truck at the decision as raised by hand; holds a refused one for the guard', () => {
    const allowed = run([read(1, '豫A1'), decided(1, 'allow')], false)
    expect(finalized(allowed.commands)).toEqual([[1, 'passed']])
    expect(raiseOf(allowed.commands)).toEqual(['hand'])
    expect(allowed.state.phase).toBe('idle')
    const refused = run([read(1, '豫A1'), decided(1, 'refuse')], false)
    expect(finalized(refused.commands)).toEqual([])
    expect(refused.state).toMatchObject({ phase: 'decided', deadline: 1_100 + timing.decisionHoldMs })
  })

  it('人工放行 closes the held truck as passed, raised by hand, without a barrier command; 人工拒绝 as not raised', () => {
    const released = run([read(1, '豫A1'), decided(1, 'guard'), { type: 'release', at: 5_000, reasonText: '人工放行' }], false)
    expect(types(released.commands)).toEqual(['verify', 'record', 'finalize'])
    expect(finalized(released.commands)).toEqual([[1, 'passed']])
    expect(raiseOf(released.commands)).toEqual(['hand'])
    const refused = run([read(1, '豫A1'), decided(1, 'guard'), { type: 'refuse', at: 5_000 }], false)
    expect(finalized(refused.commands)).toEqual([[1, 'not_raised']])
    expect(raiseOf(refused.commands)).toEqual([null])
    const timedOut = run([read(1, '豫A1'), decided(1, 'refuse'), { type: 'tick', at: 1_100 + timing.decisionHoldMs }], false)
    expect(finalized(timedOut.commands)).toEqual([[1, 'not_raised']])
  })
})

describe('lane machine: raise source', () => {
  it('a plate-allowed truck is raised by the plate, a released one by the guard', () => {
    const auto = run([read(1, '豫A1'), decided(1, 'allow'), signals(1_200, 'up', false), signals(2_000, 'up', true), signals(3_000, 'up', false)])
    expect(raiseOf(auto.commands)).toEqual(['plate'])
    const guard = run([read(1, '豫A1'), decided(1, 'refuse'), signals(1_150, 'down', false), { type: 'release', at: 2_000, reasonText: '人工放行' }, signals(2_500, 'up', false), signals(3_000, 'up', true), signals(4_000, 'up', false)])
    expect(raiseOf(guard.commands)).toEqual(['guard'])
    // Our own open: no remote-control alarm.
    expect(types(guard.commands)).not.toContain('remote_raise')
  })

  it('the arm rising with no command of ours on an idle lane is a remote-control raise (遥控抬杆)', () => {
    const { state, commands } = run([signals(500, 'down', false), signals(1_000, 'up', false)])
    expect(commands).toContainEqual({ type: 'remote_raise', plate: null, readId: null, at: 1_000 })
    expect(state.phase).toBe('idle')
  })

  it('an unread remote raise becomes a passage that passes when a vehicle crosses the loop', () => {
    const remote = { type: 'unread_raise' as const, at: 1_000, read: { id: 9, plate: '未识别', colour: '5', at: 1_000 }, decision: decision('guard', 'remote_raise_unread') }
    const { state, commands } = run([signals(500, 'down', false), signals(1_000, 'up', false), remote, signals(1_500, 'up', true), signals(2_500, 'up', false)])
    expect(types(commands)).toEqual(['remote_raise', 'record', 'lower_barrier', 'finalize'])
    expect(finalized(commands)).toEqual([[9, 'passed']])
    expect(raiseOf(commands)).toEqual(['remote'])
    expect(state.phase).toBe('idle')
  })

  it('a held truck let through by a remote control is flagged remote and passes (bgzt true to what happened)', () => {
    const { commands } = run([signals(500, 'down', false), read(1, '豫A1'), decided(1, 'refuse'), signals(2_000, 'up', false), signals(2_500, 'up', true), signals(3_500, 'up', false)])
    expect(commands).toContainEqual({ type: 'remote_raise', plate: '豫A1', readId: 1, at: 2_000 })
    expect(finalized(commands)).toEqual([[1, 'passed']])
    expect(raiseOf(commands)).toEqual(['remote'])
  })

  it('an arm up at start-up (never seen down) is not taken for a remote raise', () => {
    const { commands } = run([signals(500, 'up', false)])
    expect(types(commands)).toEqual([])
  })
})

describe('lane machine: 防砸 (no lower onto a vehicle)', () => {
  it('the open timeout with a vehicle on the loop waits to lower until the loop clears, and the tile says why', () => {
    const held = run([read(1, '豫A1'), decided(1, 'allow'), signals(1_200, 'up', false)])
    const state: LaneMachineState = { ...held.state, barrier: { arm: 'up', loopOccupied: true } }
    const out = step(state, { type: 'tick', at: 1_100 + timing.openTimeoutMs }, timing)
    expect(types(out.commands)).toEqual(['finalize'])
    expect(out.state.lowerWaiting).toBe(true)
    expect(laneStateView(out.state).barrierNotice).toContain('防砸')
    const cleared = step(out.state, { type: 'signals', at: 1_100 + timing.openTimeoutMs + 500, arm: 'up', loopOccupied: false }, timing)
    expect(types(cleared.commands)).toEqual(['lower_barrier'])
    expect(laneStateView(cleared.state).barrierNotice).toBeNull()
  })

  it('a guard refusing an opened truck already under the arm does not lower onto it', () => {
    const opened = run([read(1, '豫A1'), decided(1, 'allow')])
    const state = { ...opened.state, barrier: { arm: 'up' as const, loopOccupied: true } }
    const out = step(state, { type: 'refuse', at: 2_000 }, timing)
    expect(types(out.commands)).toEqual(['finalize'])
    expect(out.state.lowerWaiting).toBe(true)
  })
})

describe('gateSignalOf (ERRATA E18)', () => {
  it('maps each outcome to bgzt and the inverted gateSignal', () => {
    expect(gateSignalOf('passed')).toEqual({ bgzt: '1', gateSignal: '0' })
    expect(gateSignalOf('not_raised')).toEqual({ bgzt: '0', gateSignal: '1' })
    expect(gateSignalOf('raised_not_passed')).toEqual({ bgzt: '0', gateSignal: '2' })
    expect(gateSignalOf('forced')).toEqual({ bgzt: '0', gateSignal: '1' })
  })
})

describe('lane machine: a later rise after our own open', () => {
  it('is a remote-control raise even within the open timeout of the last open', () => {
    const events: LaneEvent[] = [signals(500, 'down', false), read(1, '豫A1'), decided(1, 'allow'), signals(1_200, 'up', false), signals(1_500, 'up', true), signals(2_000, 'up', false), signals(2_500, 'down', false), signals(3_000, 'up', false)]
    const { commands } = run(events)
    expect(commands).toContainEqual({ type: 'remote_raise', plate: null, readId: null, at: 3_000 })
    expect(commands.filter((c) => c.type === 'remote_raise')).toHaveLength(1)
  })
})

describe('lane machine: trucks without a readable plate (无牌车 / 临时车)', () => {
  it('never merges two of them: the second queues behind the first, and is verified once the first has gone', () => {
    const unplated = (id: number, at: number) => ({ type: 'plate' as const, at, read: { id, plate: '无牌车', colour: '5', at, unique: true } })
    const first = run([unplated(1, 1_000), unplated(2, 1_500)])
    expect(types(first.commands)).toEqual(['verify', 'queued'])
    expect(laneStateView(first.state).queue).toEqual([{ plate: '无牌车', plateColour: '5', at: new Date(1_500).toISOString() }])
    const after = run([unplated(1, 1_000), unplated(2, 1_500), decided(1, 'guard', 1_600), { type: 'refuse', at: 2_000 }, unplated(3, 2_100)])
    expect(types(after.commands)).toEqual(['verify', 'queued', 'record', 'finalize', 'verify', 'queued'])
    expect(after.state.current?.read.id).toBe(2)
  })
})
