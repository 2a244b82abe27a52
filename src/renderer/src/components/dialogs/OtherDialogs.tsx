import { useEffect, useState } from 'react'
import { z } from 'zod'
import { commands, loginInputSchema, type Alarm, type Passage, type PassagePhoto } from '@shared/contract'
import { describeError } from '../../api'
import { formatClock } from '../../format'
import { useT } from '../../i18n'
import { useGate, useSession } from '../../state/hooks'
import { shiftSummary, type ShiftSummary } from '../../state/shift'
import { describedBy, FormField } from '../form'
import { PhotoStrip } from '../PhotoStrip'
import { PlateBadge } from '../PlateBadge'
import { RaiseTag, VehicleClassTag } from '../tags'
import { DialogFrame } from './DialogFrame'
import { PassageClips } from '../../features/video/PassageClips'
import { useSubmit } from './use-submit'

const handoverSchema = loginInputSchema.extend({ note: z.string().trim().max(200) })

/** The outgoing shift's figures since its login, from main's journal and alarms (null until loaded or on failure). */
function useShiftSummary(): ShiftSummary | null {
  const { call } = useSession()
  const since = useGate((state) => state.session?.since ?? null)
  const [summary, setSummary] = useState<ShiftSummary | null>(null)
  useEffect(() => {
    if (!since) return
    let cancelled = false
    Promise.all([call('passages.list', { limit: 500, from: since }), call('alarms.list', { limit: 500 })])
      .then(([passages, alarms]) => !cancelled && setSummary(shiftSummary(passages, alarms, since)))
      .catch((failure: unknown) => console.warn('shift summary', describeError(failure)))
    return () => {
      cancelled = true
    }
  }, [call, since])
  return summary
}

export function HandoverDialog({ onClose }: { onClose(): void }) {
  const t = useT()
  const { handover } = useSession()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [note, setNote] = useState('')
  const { issues, error, sending, submit } = useSubmit(handoverSchema, (input) => handover(input), onClose)
  const summary = useShiftSummary()
  return (
    <DialogFrame
      title={t.duty.handoverTitle}
      testId="handover-dialog"
      submitLabel={t.duty.confirm}
      sending={sending}
      error={error}
      onSubmit={() => void submit({ username, password, note })}
      onClose={onClose}
    >
      {summary && (
        <p className="dialog-form__context" data-testid="shift-summary">
          {t.attention.shiftSummary
            .replace('{passages}', String(summary.passages))
            .replace('{allowed}', String(summary.allowed))
            .replace('{refused}', String(summary.refused))
            .replace('{waiting}', String(summary.waiting))
            .replace('{releases}', String(summary.manualReleases))
            .replace('{violations}', String(summary.violations))
            .replace('{refusals}', String(summary.manualRefusals))
            .replace('{forced}', String(summary.forced))
            .replace('{alarms}', String(summary.alarms))
            .replace('{open}', String(summary.openAlarms))}
        </p>
      )}
      <FormField id="handover-username" label={t.duty.incoming} issue={issues.username}>
        <input {...describedBy('handover-username', issues.username)} data-testid="handover-username" autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
      </FormField>
      <FormField id="handover-password" label={t.duty.incomingPassword} issue={issues.password}>
        <input {...describedBy('handover-password', issues.password)} data-testid="handover-password" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
      </FormField>
      <FormField id="handover-note" label={t.duty.note} issue={issues.note}>
        <input {...describedBy('handover-note', issues.note)} data-testid="handover-note" maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} />
      </FormField>
    </DialogFrame>
  )
}

export function AckAlarmDialog({ alarm, onClose }: { alarm: Alarm; onClose(): void }) {
  const t = useT()
  const { call } = useSession()
  const [note, setNote] = useState('')
  const { issues, error, sending, submit } = useSubmit(commands['alarms.ack'].input, (input) => call('alarms.ack', input), onClose)
  return (
    <DialogFrame title={`${t.alarms.ackTitle} · ${t.alarms.kinds[alarm.kind]}`} testId="ack-dialog" sending={sending} error={error} onSubmit={() => void submit({ id: alarm.id, note })} onClose={onClose}>
      <p className="dialog-form__context">{alarm.message}</p>
      <FormField id="ack-note" label={t.alarms.note} issue={issues.note}>
        <input {...describedBy('ack-note', issues.note)} data-testid="ack-note" maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} />
      </FormField>
    </DialogFrame>
  )
}

/** A passage's photos, fetched from main on open, and its clips. */
export function PhotoViewer({ passage, onClose }: { passage: Passage; onClose(): void }) {
  const t = useT()
  const { call } = useSession()
  const [photos, setPhotos] = useState<PassagePhoto[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    call('passage.photos', { passageId: passage.id })
      .then(setPhotos)
      .catch((failure: unknown) => setError(describeError(failure)))
  }, [call, passage.id])
  return (
    <DialogFrame title={t.journal.viewer} testId="photo-viewer" sending={false} error={error} onSubmit={onClose} onClose={onClose} readOnly width={720}>
      <p className="dialog-form__context">
        <PlateBadge plate={passage.plate} colour={passage.plateColour} /> {formatClock(passage.recognizedAt)} · {passage.lsh} <VehicleClassTag vehicleClass={passage.vehicleClass} /> <RaiseTag source={passage.raiseSource} />
      </p>
      {photos && <PhotoStrip photos={photos} plate={passage.plate} />}
      <PassageClips passage={passage} />
    </DialogFrame>
  )
}
