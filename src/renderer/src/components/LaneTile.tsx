import { useEffect, useState } from 'react'
import { photoName, PLATE_CLOSEUP_ZPBH, type DeviceHealthView, type Lane, type LaneState } from '@shared/contract'
import { deviceProblemText } from '@shared/device-text'
import { emissionStageLabel, fuelTypeLabel } from '@shared/spec'
import { describeError } from '../api'
import { DIRECTION_LABEL, formatClock } from '../format'
import { useT } from '../i18n'
import { useGate, useSession } from '../state/hooks'
import { attentionTarget, secondsLeft, waitingTrucks } from '../state/attention'
import { isHeld, laneActionEnabled, shownOf, tilePhotos, type LaneAction, type Shown } from '../state/lanes'
import { SHORTCUTS } from '../shortcuts'
import { BarrierNotice } from './BarrierNotice'
import { LiveView } from './LiveView'
import { PlateBadge } from './PlateBadge'
import { DecisionTag, OfflineTag, VehicleClassTag } from './tags'

/** How long a new truck's tile stays highlighted. */
const FRESH_MS = 4000

export function LaneTile({ lane, index }: { lane: Lane; index: number }) {
  const t = useT()
  const last = useGate((state) => state.lastByLane[lane.id])
  const laneState = useGate((state) => state.laneStates[lane.id])
  const active = useGate((state) => state.activeLaneId === lane.id)
  const devices = useGate((state) => state.devices)
  const { store } = useSession()
  const shown = shownOf(laneState, last)
  const fresh = useFresh(shown ? `${shown.passageId ?? ''}|${shown.at}|${shown.decision ?? ''}` : null)
  const photoPassage = useGate((state) => state.passages.find((passage) => passage.id === shown?.passageId))
  const held = isHeld(laneState)
  // A truck shown from the last passage (nothing live in the lane) is closed: it reads so, with no release/refuse.
  const closed = shown !== null && !laneState?.current
  const attention = useGate((state) => state.info !== null && attentionTarget(waitingTrucks(state.info.lanes, state.laneStates), state.attentionPick)?.laneId === lane.id)

  return (
    <article
      className={`lane-tile lane-tile--${shown?.decision ?? 'idle'}${active ? ' lane-tile--active' : ''}${fresh ? ' lane-tile--fresh' : ''}${held ? ' lane-tile--held' : ''}${closed ? ' lane-tile--closed' : ''}${attention ? ' lane-tile--attention' : ''}`}
      data-testid="lane-tile"
      data-lane-id={lane.id}
      data-plate={shown?.plate}
      data-decision={shown?.decision ?? undefined}
      data-fresh={fresh ? 'true' : undefined}
      data-held={held ? 'true' : undefined}
      data-closed={closed ? 'true' : undefined}
      data-attention={attention ? 'true' : undefined}
      aria-current={active ? 'true' : undefined}
      aria-label={`${lane.name}${active ? `（${t.lane.active}）` : ''}`}
      tabIndex={0}
      onFocus={() => store.getState().selectLane(lane.id)}
      onClick={() => store.getState().selectLane(lane.id)}
    >
      <header className="lane-tile__head">
        <h2 title={lane.name}>
          <kbd title={t.lane.select}>Alt+{index + 1}</kbd> {lane.name}
        </h2>
        <span className={`direction direction--${lane.direction}`}>{DIRECTION_LABEL[lane.direction]}</span>
      </header>
      <div className="lane-tile__media">
        <LiveView laneId={lane.id} />
        {photoPassage && photoPassage.photoCount > 0 ? (
          <button type="button" className="lane-tile__photo-open" title={t.attention.photoLarge} data-testid="lane-photo-open" onClick={() => store.getState().openDialog({ kind: 'photos', passage: photoPassage })}>
            <PlatePhoto passageId={photoPassage.id} />
          </button>
        ) : (
          <PlatePhoto passageId={null} />
        )}
      </div>
      {shown ? <TruckView shown={shown} heldUntil={held ? (laneState?.current?.heldUntil ?? null) : null} closed={closed} /> : <p className="lane-tile__idle">{t.lane.idle}</p>}
      <LaneStatus state={laneState} devices={devices.filter((device) => device.laneId === lane.id)} />
      <BarrierNotice state={laneState} reserved />
      <LaneActions lane={lane} shown={shown} />
    </article>
  )
}

/** True for FRESH_MS after `key` changes to a new value (not on first render: the board loading is not news). */
function useFresh(key: string | null): boolean {
  const [seen, setSeen] = useState(key)
  const [fresh, setFresh] = useState(false)
  if (key !== seen) {
    setSeen(key)
    setFresh(key !== null)
  }
  useEffect(() => {
    if (!fresh) return
    const timer = setTimeout(() => setFresh(false), FRESH_MS)
    return () => clearTimeout(timer)
  }, [fresh, seen])
  return fresh
}

function TruckView({ shown, heldUntil, closed }: { shown: Shown; heldUntil: string | null; closed: boolean }) {
  const t = useT()
  return (
    <>
      <div className="lane-tile__plate">
        <PlateBadge plate={shown.plate} colour={shown.plateColour} size="large" />
        <time dateTime={shown.at}>{formatClock(shown.at)}</time>
      </div>
      <div className="lane-tile__decision">
        {shown.decision ? <DecisionTag decision={shown.decision} size="large" /> : <span className="decision decision--large">{t.phase.verifying}</span>}
        {shown.decidedOffline && <OfflineTag />}
        <VehicleClassTag vehicleClass={shown.vehicleClass} />
        {heldUntil && <HoldCountdown until={heldUntil} />}
        {closed && (
          <span className="tag tag--closed" data-testid="lane-closed" title={t.attention.closedHint}>
            {t.attention.closed}
          </span>
        )}
      </div>
      <p className="lane-tile__reason" data-testid="lane-reason">
        {shown.reasonText}
      </p>
      {(shown.emissionStandard || shown.fuelType) && (
        <p className="lane-tile__verdict">
          <span>
            {t.lane.emission}：{shown.emissionStandard ? emissionStageLabel(shown.emissionStandard) : '—'}
          </span>
          <span>
            {t.lane.fuel}：{shown.fuelType ? fuelTypeLabel(shown.fuelType) : '—'}
          </span>
        </p>
      )}
    </>
  )
}

/** 待处理 · N 秒后自动关闭: the lane closes a held passage by itself when its hold runs out. */
export function HoldCountdown({ until }: { until: string }) {
  const t = useT()
  const now = useNow()
  return (
    <span className="tag tag--held" data-testid="hold-countdown">
      {t.attention.waiting} · {t.attention.closesIn.replace('{s}', String(secondsLeft(until, now)))}
    </span>
  )
}

/** The time, once a second (for countdowns). */
function useNow(): number {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  return now
}

/** The passage's scene photo, with the camera's plate close-up over its corner when there is one (readable, not cropped). */
export function PlatePhoto({ passageId }: { passageId: number | null }) {
  const t = useT()
  const { call } = useSession()
  const [photo, setPhoto] = useState<{ passageId: number; src: string; closeUp: string | null } | null>(null)
  useEffect(() => {
    if (passageId === null) return
    let cancelled = false
    call('passage.photos', { passageId })
      .then((photos) => {
        const { scene, closeUp } = tilePhotos(photos)
        if (!cancelled && scene) setPhoto({ passageId, src: jpegSrc(scene.jpegBase64), closeUp: closeUp ? jpegSrc(closeUp.jpegBase64) : null })
      })
      .catch((error: unknown) => console.warn('plate photo', describeError(error)))
    return () => {
      cancelled = true
    }
  }, [passageId, call])
  const current = photo && photo.passageId === passageId ? photo : null
  if (current?.closeUp)
    return (
      <span className="lane-tile__photo-pair">
        <img className="lane-tile__photo" data-testid="lane-photo" src={current.src} alt={t.journal.photos} />
        <img className="lane-tile__closeup" data-testid="lane-closeup" src={current.closeUp} alt={photoName(PLATE_CLOSEUP_ZPBH)} />
      </span>
    )
  return current ? (
    <img className="lane-tile__photo" data-testid="lane-photo" src={current.src} alt={t.journal.photos} />
  ) : (
    <div className="lane-tile__photo lane-tile__photo--none">{t.lane.noPhoto}</div>
  )
}

function jpegSrc(base64: string): string {
  return `data:image/jpeg;base64,${base64}`
}

function LaneStatus({ state, devices }: { state: LaneState | undefined; devices: DeviceHealthView[] }) {
  const t = useT()
  const barrier = state?.barrier
  return (
    <dl className="lane-tile__status" data-testid="lane-status">
      <div>
        <dt>{t.lane.barrier}</dt>
        <dd data-testid="barrier-arm">{barrier ? t.arm[barrier.arm] : t.lane.unknown}</dd>
      </div>
      <div>
        <dt>{t.lane.loop}</dt>
        <dd>{barrier?.loopOccupied == null ? t.lane.unknown : barrier.loopOccupied ? t.lane.loopOccupied : t.lane.loopFree}</dd>
      </div>
      {state && (
        <div>
          <dt>{t.lane.queued}</dt>
          <dd data-testid="lane-queue">
            {t.phase[state.phase]}
            {(state.queue ?? []).map((truck) => (
              <span key={`${truck.plate}|${truck.at}`} className="lane-tile__queued">
                {' '}
                <PlateBadge plate={truck.plate} colour={truck.plateColour} />
              </span>
            ))}
            {(state.queue ?? []).length === 0 && ` · ${state.queued}`}
          </dd>
        </div>
      )}
      <div className="lane-tile__devices">
        <dt>{t.lane.devices}</dt>
        <dd>
          {devices.length === 0
            ? t.lane.noDevices
            : devices.map((device) => (
                <span key={device.id} className={`device device--${device.status}`} title={device.error ? deviceProblemText(device.error) : undefined} data-testid="device-health">
                  {t.device[device.kind]} {t.device[device.status]}
                </span>
              ))}
        </dd>
      </div>
    </dl>
  )
}

/**
 * The lane's manual actions. A click and its key (F1–F4, see App) make the same call, `session.laneAction`, so mouse
 * and keyboard take one path; release, refuse and correction open a dialog, re-capture runs at once and reports on
 * the tile.
 */
function LaneActions({ lane, shown }: { lane: Lane; shown: Shown | null }) {
  const t = useT()
  const { laneAction, store } = useSession()
  const activity = useGate((state) => state.laneActivity[lane.id])
  const laneState = useGate((state) => state.laneStates[lane.id])
  const busy = activity?.busy ?? false
  const outcome = activity?.outcome

  const button = (action: LaneAction, label: string) => (
    <button
      type="button"
      className={`button lane-action lane-action--${action}`}
      data-testid={`action-${action}`}
      disabled={!laneActionEnabled(action, shown, busy, laneState)}
      onClick={(event) => {
        event.stopPropagation()
        void laneAction(lane.id, action)
      }}
    >
      {label} <kbd>{SHORTCUTS[action]}</kbd>
    </button>
  )
  return (
    <div className="lane-tile__actions">
      {button('release', t.actions.release)}
      {button('refuse', t.actions.refuse)}
      {button('correct', t.actions.correct)}
      {button('recapture', t.actions.recapture)}
      {(['open', 'close'] as const).map((action) => (
        <button
          key={action}
          type="button"
          className="button lane-action lane-action--barrier"
          data-testid={`barrier-${action}`}
          disabled={!laneState?.barrier}
          onClick={(event) => {
            event.stopPropagation()
            store.getState().openDialog({ kind: 'barrier', laneId: lane.id, action })
          }}
        >
          {action === 'open' ? t.attention.barrierOpen : t.attention.barrierClose}
        </button>
      ))}
      {outcome && (
        <p className={`lane-tile__message lane-tile__message--${outcome.ok ? 'ok' : 'error'}`} role="status" data-testid="lane-message">
          {outcome.ok ? `${t.actions.recapture}：${t.actions.done}` : outcome.error}
        </p>
      )}
    </div>
  )
}
