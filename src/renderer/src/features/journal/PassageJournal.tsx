import { useMemo, useRef, useState, type MouseEvent, type Ref } from 'react'
import { UPLOAD_LABEL, VEHICLE_CLASSES, type CommandInput, type Decision, type Lane, type Passage, type UploadState, type VehicleClass } from '@shared/contract'
import { DECISION_LABEL, formatClock } from '../../format'
import { useT } from '../../i18n'
import { useDebouncedLoad, useFocusRequest, useGate, useSession } from '../../state/hooks'
import type { LedgerDialog } from '../../state/ledgers'
import { PASSAGE_LIMIT } from '../../state/passages'
import { startOfBeijingDay } from '../../state/session'
import { FilterSelect, optionsOf } from '../../components/FilterSelect'
import { PlateBadge } from '../../components/PlateBadge'
import { DecisionTag, OfflineTag, RaiseTag, UploadTag } from '../../components/tags'

interface Filter {
  plate: string
  laneId: string
  decision: '' | Decision
  upload: '' | UploadState
  vehicleClass: '' | VehicleClass
}

const NO_FILTER: Filter = { plate: '', laneId: '', decision: '', upload: '', vehicleClass: '' }

function isEmpty(filter: Filter): boolean {
  return !filter.plate.trim() && !filter.laneId && !filter.decision && !filter.upload && !filter.vehicleClass
}

/** Today's passages. Unfiltered it follows the live list; a filter asks main (filtered in SQL), again on every event. */
export function PassageJournal({ lanes }: { lanes: Lane[] }) {
  const t = useT()
  const live = useGate((state) => state.passages)
  const passageEvents = useGate((state) => state.passageEvents)
  const { call } = useSession()
  const [filter, setFilter] = useState<Filter>(NO_FILTER)
  const [found, setFound] = useState<Passage[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const laneNames = useMemo(() => new Map(lanes.map((lane) => [lane.id, lane.name])), [lanes])
  const filtered = !isEmpty(filter)
  const plateFilter = useRef<HTMLInputElement>(null)
  const firstRow = useRef<HTMLTableRowElement>(null)
  // F8 (the feature's key) shows the journal with the cursor here.
  useFocusRequest('journal-filter', plateFilter)

  useDebouncedLoad(
    filtered ? () => call('passages.list', journalQuery(filter)) : null,
    (passages) => {
      setFound(passages)
      setError(null)
    },
    setError,
    [call, filter, filtered, passageEvents]
  )

  const passages = filtered ? (found ?? []) : live
  const update = (patch: Partial<Filter>) => setFilter((current) => ({ ...current, ...patch }))

  return (
    <section className="journal" aria-label={t.journal.title}>
      {/* Enter in a filter jumps to the first row, so the journal is usable without a mouse. */}
      <form
        className="journal__filters"
        role="search"
        data-testid="journal-filters"
        onSubmit={(event) => {
          event.preventDefault()
          firstRow.current?.focus()
        }}
      >
        <label>
          {t.journal.filterPlate}
          <input ref={plateFilter} data-testid="filter-plate" value={filter.plate} maxLength={10} onChange={(e) => update({ plate: e.target.value })} placeholder="豫A" />
        </label>
        <FilterSelect
          label={t.journal.filterLane}
          testId="filter-lane"
          value={filter.laneId}
          allLabel={t.journal.all}
          options={lanes.map((lane) => ({ value: lane.id, label: lane.name }))}
          onChange={(laneId) => update({ laneId })}
        />
        <FilterSelect label={t.journal.filterDecision} testId="filter-decision" value={filter.decision} allLabel={t.journal.all} options={optionsOf(DECISION_LABEL)} onChange={(decision) => update({ decision })} />
        <FilterSelect label={t.journal.filterUpload} testId="filter-upload" value={filter.upload} allLabel={t.journal.all} options={optionsOf(UPLOAD_LABEL)} onChange={(upload) => update({ upload })} />
        <FilterSelect
          label={t.vehicleClass.label}
          testId="filter-vehicle-class"
          value={filter.vehicleClass}
          allLabel={t.journal.all}
          options={VEHICLE_CLASSES.map((vehicleClass) => ({ value: vehicleClass, label: t.vehicleClass[vehicleClass] }))}
          onChange={(vehicleClass) => update({ vehicleClass })}
        />
        <button type="button" className="button" data-testid="filter-clear" disabled={!filtered} onClick={() => setFilter(NO_FILTER)}>
          {t.journal.clear}
        </button>
        {error && (
          <span className="form-error" role="alert">
            {error}
          </span>
        )}
      </form>
      <table data-testid="journal-table" data-filtered={filtered ? 'true' : undefined} aria-busy={filtered && found === null}>
        <thead>
          <tr>
            <th>时间</th>
            <th>车道</th>
            <th>车牌</th>
            <th>{t.vehicleClass.label}</th>
            <th>判定</th>
            <th>原因</th>
            <th>离线</th>
            <th>抬杆方式</th>
            <th>流水号</th>
            <th>{t.journal.photos}</th>
            <th>上传</th>
            <th>{t.ledgers.title}</th>
          </tr>
        </thead>
        <tbody>
          {passages.map((passage, index) => (
            <PassageRow key={passage.id} ref={index === 0 ? firstRow : undefined} passage={passage} laneName={laneNames.get(passage.laneId) ?? passage.laneId} />
          ))}
        </tbody>
      </table>
      {passages.length === 0 && <p className="journal__empty">{t.journal.empty}</p>}
    </section>
  )
}

function PassageRow({ passage, laneName, ref }: { passage: Passage; laneName: string; ref?: Ref<HTMLTableRowElement> }) {
  const t = useT()
  const { store } = useSession()
  const admin = useGate((state) => state.session?.actor?.role === 'admin')
  const open = () => store.getState().openDialog({ kind: 'photos', passage })
  // The row opens the photos on a click or Enter; its ledger buttons must not do that as well.
  const openLedger = (event: MouseEvent, ledger: LedgerDialog) => {
    event.stopPropagation()
    store.getState().openDialog({ kind: 'ledger', ledger })
  }
  return (
    <tr
      ref={ref}
      data-testid="passage-row"
      data-lsh={passage.lsh}
      data-plate={passage.plate}
      data-decision={passage.decision}
      data-upload={passage.upload}
      data-raise-source={passage.raiseSource ?? undefined}
      data-vehicle-class={passage.vehicleClass ?? undefined}
      tabIndex={0}
      onClick={open}
      onKeyDown={(event) => {
        if (event.key !== 'Enter') return
        event.preventDefault()
        open()
      }}
    >
      <td>
        <time dateTime={passage.recognizedAt}>{formatClock(passage.recognizedAt)}</time>
      </td>
      <td>{laneName}</td>
      <td>
        <PlateBadge plate={passage.plate} colour={passage.plateColour} />
      </td>
      <td data-testid="passage-vehicle-class" title={t.vehicleClass.hint}>
        {passage.vehicleClass ? t.vehicleClass[passage.vehicleClass] : '—'}
      </td>
      <td>
        <DecisionTag decision={passage.decision} />
      </td>
      <td className="journal__reason" title={passage.reasonText}>
        {passage.reasonText}
      </td>
      <td>{passage.decidedOffline && <OfflineTag />}</td>
      <td>
        <RaiseTag source={passage.raiseSource} />
      </td>
      <td className="journal__lsh">{passage.lsh}</td>
      <td>{passage.photoCount > 0 ? `${passage.photoCount} 张` : '—'}</td>
      <td>
        <UploadTag state={passage.upload} error={passage.uploadError} />
      </td>
      <td className="journal__ledger" onKeyDown={(event) => event.stopPropagation()}>
        {/* Goods travel with a truck that went through: a refused or never-raised passage offers none (main refuses too). */}
        {(passage.bgzt === '1' || passage.forced) && (
          <button type="button" className="button button--quiet" data-testid="passage-goods" onClick={(event) =>
              openLedger(event, { kind: 'goods', passage: { passageId: passage.id, laneId: passage.laneId, plate: passage.plate, plateColour: passage.plateColour, lsh: passage.lsh } })
            }>
            {t.ledgers.registerGoods}
          </button>
        )}
        {admin && (
          <button
            type="button"
            className="button button--quiet"
            data-testid="passage-register"
            onClick={(event) =>
              openLedger(event, { kind: 'vehicle', row: null, prefill: { license: passage.plate, licenseColor: passage.plateColour, passageId: passage.id } })
            }
          >
            {t.ledgers.registerVehicle}
          </button>
        )}
      </td>
    </tr>
  )
}

/** Today's passages matching the journal's filter, as main filters them. */
function journalQuery(filter: Filter): CommandInput<'passages.list'> {
  const input: CommandInput<'passages.list'> = { limit: PASSAGE_LIMIT, from: startOfBeijingDay() }
  if (filter.plate.trim()) input.plate = filter.plate.trim()
  if (filter.laneId) input.laneId = filter.laneId
  if (filter.decision) input.decision = filter.decision
  if (filter.upload) input.upload = filter.upload
  if (filter.vehicleClass) input.vehicleClass = filter.vehicleClass
  return input
}
