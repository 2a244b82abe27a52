import { useState } from 'react'
import { manualBarrierInputSchema, manualRefuseInputSchema, unplatedInputSchema, manualReleaseInputSchema, manualReleaseReasons, plateCorrectionInputSchema, type Decision } from '@shared/contract'
import { dictionaries } from '@shared/spec'
import { useT } from '../../i18n'
import { useGate, useSession } from '../../state/hooks'
import { describedBy, FormField } from '../form'
import { PlatePhoto } from '../LaneTile'
import { PlateBadge } from '../PlateBadge'
import { DecisionTag } from '../tags'
import { PlateInput } from '../PlateInput'
import { DialogFrame } from './DialogFrame'
import { useSubmit } from './use-submit'

/** The decision the guard sees on the lane: the live one, else the last passage's. */
function useLaneDecision(laneId: string): Decision | null {
  const live = useGate((state) => state.laneStates[laneId]?.current?.decision ?? null)
  const last = useGate((state) => state.lastByLane[laneId]?.decision ?? null)
  return live ?? last
}

function useLaneName(laneId: string): string {
  return useGate((state) => state.info?.lanes.find((lane) => lane.id === laneId)?.name ?? laneId)
}

/** The truck the dialog acts on, as the guard saw it when it opened: plate in its colour, photo, decision, reason. */
function TruckSeen({ laneId, passageId, plate }: { laneId: string; passageId: number | null; plate: string }) {
  const t = useT()
  const current = useGate((state) => state.laneStates[laneId]?.current)
  const passage = useGate((state) => state.passages.find((known) => known.id === passageId))
  const colour = passage?.plateColour ?? current?.plateColour ?? '1'
  const decision = passage?.decision ?? current?.decision ?? null
  const reason = passage?.reasonText ?? current?.reasonText ?? ''
  return (
    <div className="truck-seen" data-testid="truck-seen" data-plate={plate} data-passage-id={passageId ?? undefined}>
      <PlatePhoto passageId={passage && passage.photoCount > 0 ? passage.id : null} />
      <div>
        <PlateBadge plate={plate} colour={colour} size="large" /> {decision && <DecisionTag decision={decision} />}
        <p>
          {t.attention.reasonLabel}：{reason}
        </p>
      </div>
    </div>
  )
}

export function ReleaseDialog({ laneId, passageId, plate, onClose }: { laneId: string; passageId: number; plate: string; onClose(): void }) {
  const t = useT()
  const { call, store } = useSession()
  const refused = useLaneDecision(laneId) === 'refuse'
  const laneName = useLaneName(laneId)
  const [reason, setReason] = useState('')
  const [note, setNote] = useState('')
  const [confirmViolation, setConfirmViolation] = useState(false)
  const { issues, error, sending, submit } = useSubmit(
    manualReleaseInputSchema,
    async (input) => store.getState().laneStateReceived(await call('lane.release', input)),
    onClose
  )

  function send() {
    const extra: Record<string, string> = {}
    if (!reason) extra.reason = t.actions.reasonRequired
    if (refused && !confirmViolation) extra.confirmViolation = t.actions.confirmViolationRequired
    void submit({ laneId, reason, note, confirmViolation, passageId }, extra)
  }

  return (
    <DialogFrame title={`${t.actions.releaseTitle} · ${laneName} · ${plate}`} testId="release-dialog" sending={sending} error={error} onSubmit={send} onClose={onClose}>
      <TruckSeen laneId={laneId} passageId={passageId} plate={plate} />
      <FormField id="release-reason" label={t.actions.reason} issue={issues.reason}>
        <select {...describedBy('release-reason', issues.reason)} data-testid="release-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
          <option value="">{t.actions.reasonPlaceholder}</option>
          {manualReleaseReasons.map(({ code, text }) => (
            <option key={code} value={code}>
              {text}
            </option>
          ))}
        </select>
      </FormField>
      <FormField id="release-note" label={t.actions.note} issue={issues.note}>
        <input {...describedBy('release-note', issues.note)} data-testid="release-note" maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} />
      </FormField>
      {refused && (
        <FormField id="release-confirm" label={t.actions.confirmViolation} issue={issues.confirmViolation}>
          <input
            {...describedBy('release-confirm', issues.confirmViolation)}
            type="checkbox"
            data-testid="release-confirm"
            checked={confirmViolation}
            onChange={(e) => setConfirmViolation(e.target.checked)}
          />
        </FormField>
      )}
    </DialogFrame>
  )
}

/** 开闸 / 关闸 with a required reason: main moves the barrier and keeps it as a software raise in the audit. */
export function BarrierDialog({ laneId, action, onClose }: { laneId: string; action: 'open' | 'close'; onClose(): void }) {
  const t = useT()
  const { call, store } = useSession()
  const laneName = useLaneName(laneId)
  const [reason, setReason] = useState('')
  const { issues, error, sending, submit } = useSubmit(
    manualBarrierInputSchema,
    async (input) => store.getState().laneStateReceived(await call('lane.barrier', input)),
    onClose
  )
  const title = action === 'open' ? t.attention.barrierOpen : t.attention.barrierClose
  return (
    <DialogFrame title={`${title} · ${laneName}`} testId="barrier-dialog" sending={sending} error={error} onSubmit={() => void submit({ laneId, action, reason })} onClose={onClose}>
      <p className="dialog-form__hint">{t.attention.barrierHint}</p>
      <FormField id="barrier-reason" label={t.attention.barrierReason} issue={issues.reason}>
        <input {...describedBy('barrier-reason', issues.reason)} data-testid="barrier-reason" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
      </FormField>
    </DialogFrame>
  )
}

/** 无牌车 / 临时车: the truck is held for the guard (nothing for the platform to verify), with the lane camera's photo. */
export function UnplatedDialog({ laneId, onClose }: { laneId: string; onClose(): void }) {
  const t = useT()
  const { call } = useSession()
  const laneName = useLaneName(laneId)
  const [kind, setKind] = useState<'none' | 'temporary'>('none')
  const [number, setNumber] = useState('')
  const { issues, error, sending, submit } = useSubmit(unplatedInputSchema, (input) => call('lane.unplated', input), onClose)
  return (
    <DialogFrame title={`${t.attention.unplatedTitle} · ${laneName}`} testId="unplated-dialog" sending={sending} error={error} onSubmit={() => void submit({ laneId, kind, number, note: '' })} onClose={onClose}>
      <p className="dialog-form__hint">{t.attention.unplatedHint}</p>
      <FormField id="unplated-kind" label={t.attention.unplatedKind} issue={issues.kind}>
        <select {...describedBy('unplated-kind', issues.kind)} data-testid="unplated-kind" value={kind} onChange={(e) => setKind(e.target.value as 'none' | 'temporary')}>
          <option value="none">{t.attention.unplatedNone}</option>
          <option value="temporary">{t.attention.unplatedTemporary}</option>
        </select>
      </FormField>
      {kind === 'temporary' && (
        <FormField id="unplated-number" label={t.attention.unplatedNumber} issue={issues.number}>
          <input {...describedBy('unplated-number', issues.number)} data-testid="unplated-number" maxLength={12} value={number} onChange={(e) => setNumber(e.target.value)} />
        </FormField>
      )}
    </DialogFrame>
  )
}

export function RefuseDialog({ laneId, passageId, plate, onClose }: { laneId: string; passageId: number; plate: string; onClose(): void }) {
  const t = useT()
  const { call, store } = useSession()
  const laneName = useLaneName(laneId)
  const [note, setNote] = useState('')
  const { issues, error, sending, submit } = useSubmit(
    manualRefuseInputSchema,
    async (input) => store.getState().laneStateReceived(await call('lane.refuse', input)),
    onClose
  )
  return (
    <DialogFrame
      title={`${t.actions.refuseTitle} · ${laneName} · ${plate}`}
      testId="refuse-dialog"
      sending={sending}
      error={error}
      onSubmit={() => void submit({ laneId, note, passageId })}
      onClose={onClose}
    >
      <TruckSeen laneId={laneId} passageId={passageId} plate={plate} />
      <FormField id="refuse-note" label={t.actions.note} issue={issues.note}>
        <input {...describedBy('refuse-note', issues.note)} data-testid="refuse-note" maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} />
      </FormField>
    </DialogFrame>
  )
}

export function CorrectPlateDialog({ passageId, onClose }: { passageId: number | null; onClose(): void }) {
  const t = useT()
  const { call, store } = useSession()
  const passage = useGate((state) => state.passages.find((known) => known.id === passageId))
  const [plate, setPlate] = useState(passage?.plate ?? '')
  const [colour, setColour] = useState(passage?.plateColour ?? '1')
  const { issues, error, sending, submit } = useSubmit(
    plateCorrectionInputSchema,
    async (input) => store.getState().passageReceived((await call('passage.correctPlate', input)).passage),
    onClose
  )
  if (passageId === null) return null
  return (
    <DialogFrame title={t.actions.correctTitle} testId="correct-dialog" sending={sending} error={error} onSubmit={() => void submit({ passageId, plate, colour })} onClose={onClose}>
      {/* The photo beside the plate, to compare what the camera saw with what is typed. */}
      <div className="truck-seen" data-testid="correct-photo">
        <PlatePhoto passageId={passage && passage.photoCount > 0 ? passage.id : null} />
        <div>
          {passage && <PlateBadge plate={passage.plate} colour={passage.plateColour} size="large" />}
          {passage?.upload === 'uploaded' && (
            <p className="dialog-form__hint" data-testid="correct-uploaded">
              {t.attention.correctUploaded}
            </p>
          )}
        </div>
      </div>
      <FormField id="correct-plate" label={t.actions.plate} issue={issues.plate}>
        <PlateInput {...describedBy('correct-plate', issues.plate)} data-testid="correct-plate" value={plate} onChange={setPlate} provinceKeys />
      </FormField>
      <FormField id="correct-colour" label={t.actions.colour} issue={issues.colour}>
        <select {...describedBy('correct-colour', issues.colour)} data-testid="correct-colour" value={colour} onChange={(e) => setColour(e.target.value)}>
          {dictionaries.licenseColor.entries.map(({ code, name }) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </FormField>
    </DialogFrame>
  )
}
