import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react'
import type { Lane } from '@shared/contract'
import { dictionaries } from '@shared/spec'
import { describeError, fieldIssues } from '../api'
import { DIRECTION_LABEL } from '../format'
import { useFocusRequest, useSession } from '../state/hooks'
import { SHORTCUTS } from '../shortcuts'
import { PlateInput } from './PlateInput'

/** Trucks carry yellow plates. */
const DEFAULT_COLOUR = '1'

type FieldName = 'laneId' | 'plate' | 'colour'

/** For when the camera misses a plate: the guard types it and the lane decides as for a camera read. */
export function PlateEntryForm({ lanes }: { lanes: Lane[] }) {
  const { submitPlate, store } = useSession()
  const [chosenLaneId, setLaneId] = useState('')
  const [plate, setPlate] = useState('')
  const [colour, setColour] = useState(DEFAULT_COLOUR)
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [issues, setIssues] = useState<Record<string, string>>({})
  const plateInput = useRef<HTMLInputElement>(null)
  const formId = useId()
  const laneId = lanes.some((lane) => lane.id === chosenLaneId) ? chosenLaneId : (lanes[0]?.id ?? '')

  // F6 (the board's keys, App.tsx) asks for the plate field.
  useFocusRequest('plate-entry', plateInput)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (submitting) return
    setSubmitting(true)
    try {
      await submitPlate({ laneId, plate, colour })
      setPlate('')
      setError(null)
      setIssues({})
    } catch (failure) {
      setError(describeError(failure))
      setIssues(fieldIssues(failure))
    } finally {
      setSubmitting(false)
      plateInput.current?.focus()
    }
  }

  const idOf = (field: FieldName) => `${formId}-${field}`
  const control = (field: FieldName) => ({
    id: idOf(field),
    'aria-invalid': Boolean(issues[field]),
    'aria-describedby': issues[field] ? `${idOf(field)}-issue` : undefined
  })

  return (
    <form className="entry" onSubmit={submit} noValidate aria-label="人工登记车牌">
      <h2 className="entry__title">
        人工登记 <kbd title={`按 ${SHORTCUTS.plateEntry} 回到车牌输入框`}>{SHORTCUTS.plateEntry}</kbd>
      </h2>
      <Field id={idOf('laneId')} label="车道" issue={issues.laneId}>
        <select {...control('laneId')} data-testid="lane-select" value={laneId} onChange={(event) => setLaneId(event.target.value)}>
          {lanes.map((lane) => (
            <option key={lane.id} value={lane.id}>
              {lane.name}（{DIRECTION_LABEL[lane.direction]}）
            </option>
          ))}
        </select>
      </Field>
      <Field id={idOf('plate')} label="车牌号" issue={issues.plate}>
        <PlateInput {...control('plate')} ref={plateInput} value={plate} onChange={setPlate} autoFocus />
      </Field>
      <Field id={idOf('colour')} label="车牌颜色" issue={issues.colour}>
        <select {...control('colour')} data-testid="colour-select" value={colour} onChange={(event) => setColour(event.target.value)}>
          {dictionaries.licenseColor.entries.map(({ code, name }) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" className="entry__submit" data-testid="submit-plate" disabled={submitting || !laneId}>
        {submitting ? '登记中…' : '登记'} <kbd>Enter</kbd>
      </button>
      <button type="button" className="button" data-testid="unplated" disabled={!laneId} onClick={() => store.getState().openDialog({ kind: 'unplated', laneId })}>
        无牌车 / 临时车
      </button>
      {error && (
        <p className="entry__error" role="alert" data-testid="form-error">
          {error}
        </p>
      )}
    </form>
  )
}

function Field({ id, label, issue, children }: { id: string; label: string; issue: string | undefined; children: ReactNode }) {
  return (
    <div className={issue ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {issue && (
        <span className="field__issue" id={`${id}-issue`}>
          {issue}
        </span>
      )}
    </div>
  )
}
