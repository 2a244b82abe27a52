import { useEffect, useState, type ReactNode } from 'react'
import { UPLOAD_LABEL, type GoodsRecord, type InnerVehicleView, type LedgerKind, type MachineView, type UploadState, type VehicleRegistration } from '@shared/contract'
import { labelOf } from '@shared/spec'
import { describeError } from '../../api'
import { formatRecent } from '../../format'
import { fill, useT } from '../../i18n'
import { useDebouncedLoad, useGate, useSession } from '../../state/hooks'
import type { CarStatus, LedgerDialog, LedgerImageField } from '../../state/ledgers'
import type { Session } from '../../state/session'
import { saveFile } from '../../save-file'
import { FilterSelect, optionsOf } from '../../components/FilterSelect'
import { PlateBadge } from '../../components/PlateBadge'
import { UploadTag } from '../../components/tags'
import './ledgers.css'

const KINDS: LedgerKind[] = ['goods', 'vehicles', 'innerVehicles', 'machines']
const PAGE_SIZE = 50

interface Filter {
  plate: string
  status: '' | CarStatus
  upload: '' | UploadState
}
const NO_FILTER: Filter = { plate: '', status: '', upload: '' }

interface RowMeta {
  id: number
  updatedAt: string
  updatedBy: string
  upload: UploadState
  uploadError: string | null
}

interface Column<R> {
  title: string
  cell(row: R): ReactNode
}

interface LedgerConfig<R extends RowMeta> {
  kind: LedgerKind
  /** One page of rows as main filters them in SQL (offset/limit/total), so a ledger of 100k rows stays quick. */
  load(call: Session['call'], filter: Filter, offset: number): Promise<{ rows: R[]; total: number }>
  columns: Column<R>[]
  /** The row's plate (or machine number): its name in dialogs and the e2e tests. */
  subject(row: R): string
  /** Admin-only buttons of a row (editing, status). */
  adminActions?(row: R): ReactNode
  withStatus?: boolean
  /** The filter's label: plate prefix, or the machine's registration number. */
  plateLabel?: string
  /** Opens the form for a new row (admins). */
  add?(): void
}

const pageInput = (filter: Filter, offset: number) => ({
  offset,
  limit: PAGE_SIZE,
  ...(filter.upload ? { upload: filter.upload } : {}),
  ...(filter.status ? { status: filter.status } : {})
})

/** 台账: the four ledgers, each a server-paged table with filters, upload state per row, history and images. */
export default function LedgersPanel() {
  const t = useT()
  const [kind, setKind] = useState<LedgerKind>('goods')
  return (
    <section className="ledgers" aria-label={t.ledgers.title} data-testid="ledgers-panel">
      <div className="ledgers__kinds" role="tablist">
        {KINDS.map((key) => (
          <button key={key} type="button" role="tab" aria-selected={kind === key} className="panel-tab" data-testid={`ledger-tab-${key}`} onClick={() => setKind(key)}>
            {t.ledgers.kinds[key]}
          </button>
        ))}
      </div>
      {kind === 'goods' && <GoodsLedger />}
      {kind === 'vehicles' && <VehicleLedger />}
      {kind === 'innerVehicles' && <InnerVehicleLedger />}
      {kind === 'machines' && <MachineLedger />}
    </section>
  )
}

function useOpen() {
  const { store } = useSession()
  return (ledger: LedgerDialog) => store.getState().openDialog({ kind: 'ledger', ledger })
}

/** 查看 buttons for the images a row has on file. */
function ImageButtons<R extends RowMeta>({ kind, row, subject, fields }: { kind: LedgerKind; row: R; subject: string; fields: [LedgerImageField, boolean][] }) {
  const t = useT()
  const open = useOpen()
  return (
    <>
      {fields.map(([field, onFile]) =>
        onFile ? (
          <button
            key={field}
            type="button"
            className="button button--quiet"
            data-testid={`ledger-image-${field}`}
            onClick={() => open({ kind: 'image', ledger: kind, id: row.id, field, subject })}
          >
            {t.ledgers.view}
            {t.ledgers.fields[field]}
          </button>
        ) : null
      )}
    </>
  )
}

function GoodsLedger() {
  const t = useT()
  const open = useOpen()
  const f = t.ledgers.fields
  // At the plant the goods come from every gate (each booth's, and those filed here): the gate is shown.
  const plant = useGate((state) => state.info?.plant === true)
  const gateColumn = { title: t.plant.gate, cell: (row: GoodsRecord) => <span data-testid="goods-gate">{fill(t.plant.gateN, { gate: row.gateCode })}</span> }
  return (
    <LedgerTable<GoodsRecord>
      config={{
        kind: 'goods',
        load: (call, filter, offset) => call('goods.list', { ...pageInput({ ...filter, status: '' }, offset), ...(filter.plate.trim() ? { plate: filter.plate.trim() } : {}) }),
        subject: (row) => row.plate,
        columns: [
          { title: f.djsj, cell: (row) => row.djsj },
          ...(plant ? [gateColumn] : []),
          { title: f.plate, cell: (row) => <PlateBadge plate={row.plate} colour={row.plateColour} /> },
          { title: f.hwmc, cell: (row) => row.hwmc },
          { title: f.ysl, cell: (row) => (row.weighed ? `${row.ysl}（${t.ledgers.weighed}）` : row.ysl) },
          { title: f.lsh, cell: (row) => <span className="journal__lsh">{row.lsh}</span> },
          { title: f.source, cell: (row) => t.ledgers.sources[row.source] }
        ],
        // Goods are saved against their passage (goods.record), so only a row that still names one can be corrected.
        adminActions: (row) =>
          row.passageId !== null && (
            <RowButton
              testId="ledger-edit"
              label={t.ledgers.edit}
              onClick={() =>
                open({ kind: 'goods', passage: { passageId: row.passageId!, laneId: row.laneId, plate: row.plate, plateColour: row.plateColour, lsh: row.lsh } })
              }
            />
          )
      }}
    />
  )
}

function vehicleColumns<R extends RowMeta & Omit<VehicleRegistration, keyof RowMeta | 'passageId'>>(t: ReturnType<typeof useT>, kind: LedgerKind): Column<R>[] {
  const f = t.ledgers.fields
  return [
    { title: f.license, cell: (row) => <PlateBadge plate={row.license} colour={row.licenseColor} /> },
    { title: f.vehicleType, cell: (row) => labelOf('vehicleType', row.vehicleType) ?? row.vehicleType },
    { title: f.vin, cell: (row) => row.vin },
    { title: f.emissionStandard, cell: (row) => labelOf('emissionStage', row.emissionStandard) ?? row.emissionStandard },
    { title: f.onwer, cell: (row) => row.onwer },
    {
      title: f.drivingLicenseImg,
      cell: (row) => (
        <ImageButtons
          kind={kind}
          row={row}
          subject={row.license}
          fields={[
            ['drivingLicenseImg', row.drivingLicenseImg],
            ['drivingLicenseImg2', row.drivingLicenseImg2]
          ]}
        />
      )
    }
  ]
}

function VehicleLedger() {
  const t = useT()
  const open = useOpen()
  return (
    <LedgerTable<VehicleRegistration>
      config={{
        kind: 'vehicles',
        load: (call, filter, offset) => call('vehicles.list', { ...pageInput({ ...filter, status: '' }, offset), ...(filter.plate.trim() ? { plate: filter.plate.trim() } : {}) }),
        subject: (row) => row.license,
        columns: vehicleColumns<VehicleRegistration>(t, 'vehicles'),
        adminActions: (row) => <RowButton testId="ledger-edit" label={t.ledgers.edit} onClick={() => open({ kind: 'vehicle', row })} />,
        add: () => open({ kind: 'vehicle', row: null })
      }}
    />
  )
}

function InnerVehicleLedger() {
  const t = useT()
  const open = useOpen()
  return (
    <LedgerTable<InnerVehicleView>
      config={{
        kind: 'innerVehicles',
        withStatus: true,
        load: (call, filter, offset) => call('innerVehicles.list', { ...pageInput(filter, offset), ...(filter.plate.trim() ? { plate: filter.plate.trim() } : {}) }),
        subject: (row) => row.license,
        columns: [
          ...vehicleColumns<InnerVehicleView>(t, 'innerVehicles'),
          { title: t.ledgers.fields.carStatus, cell: (row) => <StatusTag status={row.carStatus} /> }
        ],
        adminActions: (row) => (
          <>
            <RowButton testId="ledger-edit" label={t.ledgers.edit} onClick={() => open({ kind: 'innerVehicle', row })} />
            <RowButton
              testId="ledger-status"
              label={t.ledgers.changeStatus}
              onClick={() => open({ kind: 'status', ledger: 'innerVehicles', id: row.id, subject: row.license, status: row.carStatus })}
            />
          </>
        ),
        add: () => open({ kind: 'innerVehicle', row: null })
      }}
    />
  )
}

function MachineLedger() {
  const t = useT()
  const open = useOpen()
  const f = t.ledgers.fields
  return (
    <LedgerTable<MachineView>
      config={{
        kind: 'machines',
        withStatus: true,
        plateLabel: t.ledgers.filterMhyPlate,
        load: (call, filter, offset) => call('machines.list', { ...pageInput(filter, offset), ...(filter.plate.trim() ? { mhyPlate: filter.plate.trim() } : {}) }),
        subject: (row) => row.mhyPlate,
        columns: [
          { title: f.mhyPlate, cell: (row) => row.mhyPlate },
          { title: f.mhyJXMC, cell: (row) => row.mhyJXMC },
          { title: f.emissionLevel, cell: (row) => labelOf('emissionStage', row.emissionLevel) ?? row.emissionLevel },
          { title: f.mhyFrameNo, cell: (row) => row.mhyFrameNo },
          { title: f.mhyProdDate, cell: (row) => row.mhyProdDate },
          { title: f.mhyStatus, cell: (row) => <StatusTag status={row.mhyStatus} /> },
          { title: f.imageInfo, cell: (row) => <ImageButtons kind="machines" row={row} subject={row.mhyPlate} fields={[['imageInfo', row.imageInfo]]} /> }
        ],
        adminActions: (row) => (
          <>
            <RowButton testId="ledger-edit" label={t.ledgers.edit} onClick={() => open({ kind: 'machine', row })} />
            <RowButton
              testId="ledger-status"
              label={t.ledgers.changeStatus}
              onClick={() => open({ kind: 'status', ledger: 'machines', id: row.id, subject: row.mhyPlate, status: row.mhyStatus })}
            />
          </>
        ),
        add: () => open({ kind: 'machine', row: null })
      }}
    />
  )
}

function StatusTag({ status }: { status: CarStatus }) {
  const t = useT()
  return <span className={`ledger-status ledger-status--${status}`}>{t.ledgers.statuses[status]}</span>
}

function RowButton({ testId, label, onClick }: { testId: string; label: string; onClick(): void }) {
  return (
    <button type="button" className="button" data-testid={testId} onClick={onClick}>
      {label}
    </button>
  )
}

function LedgerTable<R extends RowMeta>({ config }: { config: LedgerConfig<R> }) {
  const t = useT()
  const { call, subscribe } = useSession()
  const open = useOpen()
  const admin = useGate((state) => state.session?.actor?.role === 'admin')
  const [filter, setFilter] = useState<Filter>(NO_FILTER)
  const [offset, setOffset] = useState(0)
  const [page, setPage] = useState<{ rows: R[]; total: number } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [changes, setChanges] = useState(0)
  const [exporting, setExporting] = useState(false)
  const { kind, load } = config

  // Any change of this ledger (a save, an import, an upload's outcome) reloads the page shown.
  useEffect(() => subscribe('ledger.changed', (changed) => changed.ledger === kind && setChanges((count) => count + 1)), [subscribe, kind])

  useDebouncedLoad(
    () => load(call, filter, offset),
    (loaded) => {
      setPage(loaded)
      setError(null)
    },
    setError,
    // `load` is rebuilt on every render of the ledger; `kind` stands for it. `changes` counts ledger.changed events.
    [call, kind, filter, offset, changes]
  )

  const update = (patch: Partial<Filter>) => {
    setFilter((current) => ({ ...current, ...patch }))
    setOffset(0)
  }
  const exportLedger = async () => {
    setExporting(true)
    try {
      saveFile(await call('ledger.export', { ledger: kind, ...(filter.plate.trim() ? { plate: filter.plate.trim() } : {}) }))
      setError(null)
    } catch (failure) {
      setError(describeError(failure))
    } finally {
      setExporting(false)
    }
  }

  const total = page?.total ?? 0
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
  return (
    <div className="ledger" data-testid={`ledger-${kind}`} data-total={page ? total : undefined}>
      <form className="journal__filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label>
          {config.plateLabel ?? t.ledgers.filterPlate}
          <input data-testid="ledger-filter-plate" value={filter.plate} maxLength={kind === 'machines' ? 32 : 10} onChange={(e) => update({ plate: e.target.value })} />
        </label>
        {config.withStatus && (
          <FilterSelect label={t.ledgers.filterStatus} testId="ledger-filter-status" value={filter.status} allLabel={t.ledgers.all} options={optionsOf(t.ledgers.statuses)} onChange={(status) => update({ status })} />
        )}
        <FilterSelect label={t.ledgers.filterUpload} testId="ledger-filter-upload" value={filter.upload} allLabel={t.ledgers.all} options={optionsOf(UPLOAD_LABEL)} onChange={(upload) => update({ upload })} />
        <span className="ledger__tools">
          {admin && config.add && <RowButton testId="ledger-add" label={t.ledgers.add} onClick={config.add} />}
          {admin && kind === 'goods' && <RowButton testId="ledger-goods-names" label={t.ledgers.goodsNames} onClick={() => open({ kind: 'goodsNames' })} />}
          <button type="button" className="button" data-testid="ledger-export" disabled={exporting} onClick={() => void exportLedger()}>
            {t.ledgers.export}
          </button>
          {admin && <RowButton testId="ledger-import" label={t.ledgers.import} onClick={() => open({ kind: 'import', ledger: kind })} />}
        </span>
        {error && (
          <span className="form-error" role="alert" data-testid="ledger-error">
            {error}
          </span>
        )}
      </form>
      <table className="ledger__table" data-testid="ledger-table" aria-busy={page === null}>
        <thead>
          <tr>
            {config.columns.map((column) => (
              <th key={column.title}>{column.title}</th>
            ))}
            <th>{t.ledgers.fields.updated}</th>
            <th>{t.ledgers.fields.upload}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((row) => {
            const subject = config.subject(row)
            return (
              <tr key={row.id} data-testid="ledger-row" data-id={row.id} data-subject={subject} data-upload={row.upload}>
                {config.columns.map((column) => (
                  <td key={column.title}>{column.cell(row)}</td>
                ))}
                <td>
                  {formatRecent(row.updatedAt)} {row.updatedBy}
                </td>
                <td>
                  <UploadTag state={row.upload} error={row.uploadError} />
                </td>
                <td className="ledger__actions">
                  <RowButton testId="ledger-history" label={t.ledgers.history} onClick={() => open({ kind: 'history', ledger: kind, id: row.id, subject })} />
                  {admin && config.adminActions?.(row)}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {page && page.rows.length === 0 && <p className="journal__empty">{t.ledgers.empty}</p>}
      <nav className="ledger__pager" aria-label={fill(t.ledgers.page, { page: offset / PAGE_SIZE + 1, pages })}>
        <span data-testid="ledger-total">{fill(t.ledgers.total, { n: total })}</span>
        <button type="button" className="button" data-testid="ledger-previous" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
          {t.ledgers.previous}
        </button>
        <span>{fill(t.ledgers.page, { page: offset / PAGE_SIZE + 1, pages })}</span>
        <button type="button" className="button" data-testid="ledger-next" disabled={offset + PAGE_SIZE >= total} onClick={() => setOffset(offset + PAGE_SIZE)}>
          {t.ledgers.next}
        </button>
      </nav>
    </div>
  )
}
