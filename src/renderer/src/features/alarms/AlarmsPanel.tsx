import { useEffect, useState } from 'react'
import type { Alarm } from '@shared/contract'
import { formatRecent } from '../../format'
import { useT } from '../../i18n'
import { useGate, useSession } from '../../state/hooks'

/** Open alarms, newest first; each is acknowledged with a note (main stamps who did it). */
export function AlarmsPanel() {
  const t = useT()
  const alarms = useGate((state) => state.alarms)
  const loadError = useGate((state) => state.partErrors.alarms)
  const forcedPassAlerts = useGate((state) => state.forcedPassAlerts)
  return (
    <section className="alarms" aria-label={t.alarms.title} data-testid="alarms-panel" data-forced-pass-alerts={forcedPassAlerts}>
      {loadError && (
        <p className="form-error" role="alert" data-testid="alarms-error">
          {t.alarms.loadFailed}：{loadError}
        </p>
      )}
      {alarms.length === 0 && !loadError && <p className="journal__empty">{t.alarms.empty}</p>}
      <ul className="alarms__list">
        {alarms.map((alarm) => (
          <AlarmItem key={alarm.id} alarm={alarm} />
        ))}
      </ul>
    </section>
  )
}

function AlarmItem({ alarm }: { alarm: Alarm }) {
  const t = useT()
  const { store } = useSession()
  const laneName = useGate((state) => state.info?.lanes.find((lane) => lane.id === alarm.laneId)?.name)
  // Acknowledged is not resolved: a device alarm stays here, marked, until its device is back.
  const acknowledged = alarm.acknowledgedAt !== null
  return (
    <li className={`alarm alarm--${alarm.kind}`} data-testid="alarm" data-kind={alarm.kind} data-state={acknowledged ? 'acknowledged' : 'open'}>
      <span className="alarm__kind">{t.alarms.kinds[alarm.kind]}</span>
      {alarm.kind === 'forced_pass' && alarm.passageId != null && <ForcedPassPhoto passageId={alarm.passageId} />}
      <span className="alarm__message">
        {laneName && <b>{laneName}</b>} {alarm.plate} {alarm.message}
      </span>
      <time dateTime={alarm.raisedAt}>{formatRecent(alarm.raisedAt)}</time>
      {acknowledged ? (
        <span className="alarm__acked" data-testid="alarm-acked">
          {t.adminSettings.ackedUnresolved}（{alarm.acknowledgedBy}）
        </span>
      ) : (
        <button type="button" className="button" data-testid="alarm-ack" onClick={() => store.getState().openDialog({ kind: 'ack', alarm })}>
          {t.alarms.ack}
        </button>
      )}
    </li>
  )
}

/** The forced pass's snapshot beside its alarm, so the guard sees who went through without opening the journal. */
function ForcedPassPhoto({ passageId }: { passageId: number }) {
  const t = useT()
  const { call } = useSession()
  const [src, setSrc] = useState<string | null>(null)
  useEffect(() => {
    let cancelled = false
    call('passage.photos', { passageId }).then(
      (photos) => !cancelled && photos[0] && setSrc(`data:image/jpeg;base64,${photos[0].jpegBase64}`),
      () => undefined
    )
    return () => {
      cancelled = true
    }
  }, [call, passageId])
  return src ? <img className="alarm__photo" src={src} alt={t.adminSettings.forcedPhoto} data-testid="alarm-photo" /> : null
}
