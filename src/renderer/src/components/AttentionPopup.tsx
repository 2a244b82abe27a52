import { useMemo } from 'react'
import type { Alarm } from '@shared/contract'
import { formatClock } from '../format'
import { useT } from '../i18n'
import { useGate, useSession } from '../state/hooks'
import { attentionTarget, waitingTrucks } from '../state/attention'
import { SHORTCUTS } from '../shortcuts'
import { BarrierNotice } from './BarrierNotice'
import { HoldCountdown, PlatePhoto } from './LaneTile'
import { PlateBadge } from './PlateBadge'
import { DecisionTag, VehicleClassTag } from './tags'

/**
 * The truck that needs the guard, whatever lane is selected: refused and held, undecided, or a barrier that did not
 * open. F1–F4 act on it (session.keyAction); with more than one waiting, the oldest first and Tab or the list
 * switches. A card over the board's corner, so the board itself never moves when one appears.
 */
export function AttentionPopup() {
  const t = useT()
  const { laneAction, store } = useSession()
  const lanes = useGate((state) => state.info?.lanes)
  const laneStates = useGate((state) => state.laneStates)
  const picked = useGate((state) => state.attentionPick)
  const waiting = useMemo(() => (lanes ? waitingTrucks(lanes, laneStates) : []), [lanes, laneStates])
  const target = attentionTarget(waiting, picked)
  const passage = useGate((state) => state.passages.find((known) => known.id === target?.passageId))
  const alarms = useGate((state) => state.alarms)
  const forced = useMemo(() => alarms.filter((alarm) => alarm.kind === 'forced_pass'), [alarms])
  if (!target) return forced.length > 0 ? <ForcedPasses alarms={forced} /> : null
  const others = waiting.filter((truck) => truck.laneId !== target.laneId)
  return (
    <aside className={`attention attention--${target.decision}`} role="alertdialog" aria-label={t.attention.title} data-testid="attention" data-lane-id={target.laneId} data-plate={target.plate}>
      <header className="attention__head">
        <b>{t.attention.title}</b> · {target.laneName}
        {target.heldUntil && <HoldCountdown until={target.heldUntil} />}
      </header>
      <div className="attention__body">
        <button
          type="button"
          className="attention__photo"
          title={t.attention.photoLarge}
          disabled={!passage || passage.photoCount === 0}
          onClick={() => passage && store.getState().openDialog({ kind: 'photos', passage })}
        >
          <PlatePhoto passageId={passage && passage.photoCount > 0 ? passage.id : null} />
        </button>
        <div className="attention__truck">
          <PlateBadge plate={target.plate} colour={target.plateColour} size="large" />
          <DecisionTag decision={target.decision} size="large" />
          <VehicleClassTag vehicleClass={target.vehicleClass} />
          <p className="attention__reason" data-testid="attention-reason">
            {target.reasonText}
          </p>
          <BarrierNotice state={laneStates[target.laneId]} reserved={false} />
        </div>
      </div>
      <div className="attention__actions">
        <button type="button" className="button lane-action lane-action--release" data-testid="attention-release" onClick={() => void laneAction(target.laneId, 'release')}>
          {t.actions.release} <kbd>{SHORTCUTS.release}</kbd>
        </button>
        <button type="button" className="button lane-action lane-action--refuse" data-testid="attention-refuse" onClick={() => void laneAction(target.laneId, 'refuse')}>
          {t.actions.refuse} <kbd>{SHORTCUTS.refuse}</kbd>
        </button>
      </div>
      {others.length > 0 && (
        <div className="attention__others" data-testid="attention-others">
          {t.attention.others.replace('{n}', String(others.length))}
          {others.map((truck) => (
            <button key={truck.laneId} type="button" className="button button--quiet" data-testid="attention-pick" data-lane-id={truck.laneId} onClick={() => store.getState().pickAttention(truck.laneId)}>
              {truck.laneName} <PlateBadge plate={truck.plate} colour={truck.plateColour} />
            </button>
          ))}
        </div>
      )}
      {forced.length > 0 && <ForcedPasses alarms={forced} inline />}
    </aside>
  )
}

/** 闯岗: a truck went through without a raised arm. Nothing to release, but the guard must see it and confirm it. */
function ForcedPasses({ alarms, inline = false }: { alarms: Alarm[]; inline?: boolean }) {
  const t = useT()
  const { store } = useSession()
  const lanes = useGate((state) => state.info?.lanes)
  const list = (
    <ul className="attention__forced" data-testid="attention-forced">
      {alarms.map((alarm) => (
        <li key={alarm.id}>
          <b>{t.alarms.kinds.forced_pass}</b> {lanes?.find((lane) => lane.id === alarm.laneId)?.name} {formatClock(alarm.raisedAt)} {alarm.message}{' '}
          <button type="button" className="button" data-testid="attention-forced-ack" onClick={() => store.getState().openDialog({ kind: 'ack', alarm })}>
            {t.alarms.ack}
          </button>
        </li>
      ))}
    </ul>
  )
  if (inline) return list
  return (
    <aside className="attention attention--refuse" role="alertdialog" aria-label={t.attention.title} data-testid="attention-forced-only">
      <header className="attention__head">
        <b>{t.attention.title}</b>
      </header>
      {list}
    </aside>
  )
}
