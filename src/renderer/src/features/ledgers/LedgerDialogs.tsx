import { DatePicker, Image } from 'antd'
import dayjs from 'dayjs'
import { useEffect, useState, type ReactNode } from 'react'
import {
  commands,
  type CommandInput,
  type GoodsRecord,
  type ImportResult,
  type InnerVehicleView,
  type LedgerChange,
  type LedgerKind,
  type MachineView,
  type OcrReading,
  type VehicleRegistration
} from '@shared/contract'
import { dictionaries, labelOf, type DictionaryKey } from '@shared/spec'
import { describeError } from '../../api'
import { formatRecent } from '../../format'
import { fill, useT } from '../../i18n'
import { useSession } from '../../state/hooks'
import type { CarStatus, GoodsPassage, LedgerDialog, LedgerImageField, RegistrationPrefill } from '../../state/ledgers'
import { DialogFrame } from '../../components/dialogs/DialogFrame'
import { useSubmit } from '../../components/dialogs/use-submit'
import { FileInput } from '../../components/FileInput'
import { describedBy, FormField, type Issues } from '../../components/form'
import { PlateBadge } from '../../components/PlateBadge'
import { PlateInput } from '../../components/PlateInput'
import { UploadTag } from '../../components/tags'
import { DocumentReader } from './DocumentReader'
import { base64Of, imageTypeOf, lengthLimit, vehicleTypeCode, vehicleTypeText } from './inputs'
import { formValuesOf, type FilledField, type Unsure } from './reading'
import './ledgers.css'

const STATUSES: CarStatus[] = ['1', '2', '3']

/** The open ledger dialog. */
export default function LedgerDialogs({ dialog, onClose }: { dialog: LedgerDialog; onClose(): void }) {
  switch (dialog.kind) {
    case 'vehicle':
      return <VehicleDialog ledger="vehicles" row={dialog.row} prefill={dialog.prefill} onClose={onClose} />
    case 'innerVehicle':
      return <VehicleDialog ledger="innerVehicles" row={dialog.row} onClose={onClose} />
    case 'machine':
      return <MachineDialog row={dialog.row} onClose={onClose} />
    case 'status':
      return <StatusDialog {...dialog} onClose={onClose} />
    case 'goods':
      return <GoodsDialog passage={dialog.passage} onClose={onClose} />
    case 'goodsNames':
      return <GoodsNamesDialog onClose={onClose} />
    case 'history':
      return <HistoryDialog {...dialog} onClose={onClose} />
    case 'image':
      return <ImageDialog {...dialog} onClose={onClose} />
    case 'import':
      return <ImportDialog ledger={dialog.ledger} onClose={onClose} />
  }
}

/** A text field of a ledger form, keyed by its spec name (the name main's refusals use too). */
function TextField({ prefix, name, label, issue, value, onChange, maxLength }: {
  prefix: string
  name: string
  label: string
  issue: string | undefined
  value: string
  onChange(value: string): void
  maxLength?: number
}) {
  const id = `${prefix}-${name}`
  return (
    <FormField id={id} label={label} issue={issue}>
      <input {...describedBy(id, issue)} data-testid={id} type="text" autoComplete="off" maxLength={maxLength} value={value} onChange={(e) => onChange(e.target.value)} />
    </FormField>
  )
}

/**
 * A yyyy-MM-dd date, picked in the UI's language (antd's zh_CN calendar, dayjs zh-cn: the dialogs' ConfigProvider)
 * instead of the browser's date input, which follows the browser's language (mm/dd/yyyy). Typing the date works too.
 */
function DateField({ prefix, name, label, issue, value, onChange }: { prefix: string; name: string; label: string; issue: string | undefined; value: string; onChange(value: string): void }) {
  const id = `${prefix}-${name}`
  const day = value ? dayjs(value) : null
  return (
    <FormField id={id} label={label} issue={issue}>
      <DatePicker
        id={id}
        data-testid={id}
        aria-invalid={Boolean(issue)}
        status={issue ? 'error' : undefined}
        format="YYYY-MM-DD"
        value={day?.isValid() ? day : null}
        onChange={(picked) => onChange(picked ? picked.format('YYYY-MM-DD') : '')}
        onBlur={(event) => {
          // A date typed in full counts when the field is left, as in a plain input (the picker keeps it otherwise).
          const typed = (event.target as HTMLInputElement).value
          if (typed !== value && /^\d{4}-\d{2}-\d{2}$/.test(typed) && dayjs(typed).isValid()) onChange(typed)
        }}
      />
    </FormField>
  )
}

/** A select over a spec code table (B7.x), shown as its Chinese labels. */
function CodeSelect({ prefix, name, label, issue, table, value, onChange }: {
  prefix: string
  name: string
  label: string
  issue: string | undefined
  table: DictionaryKey
  value: string
  onChange(value: string): void
}) {
  const t = useT()
  const id = `${prefix}-${name}`
  return (
    <FormField id={id} label={label} issue={issue}>
      <select {...describedBy(id, issue)} data-testid={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t.ledgers.choose}</option>
        {dictionaries[table].entries.map(({ code }) => (
          <option key={code} value={code}>
            {labelOf(table, code)}
          </option>
        ))}
      </select>
    </FormField>
  )
}

function StatusSelect({ id, label, issue, value, onChange }: { id: string; label: string; issue: string | undefined; value: CarStatus; onChange(status: CarStatus): void }) {
  const t = useT()
  return (
    <FormField id={id} label={label} issue={issue}>
      <select {...describedBy(id, issue)} data-testid={id} value={value} onChange={(e) => onChange(e.target.value as CarStatus)}>
        {STATUSES.map((status) => (
          <option key={status} value={status}>
            {status} {t.ledgers.statuses[status]}
          </option>
        ))}
      </select>
    </FormField>
  )
}

// B7.7 has 158 entries: a text field with a datalist searches them by code or by name as the admin types.
const VEHICLE_TYPE_LIST_ID = 'ledger-vehicle-types'

/** An image on file or newly picked: JPEG or PNG only (told by its bytes), previewed before it is sent. */
interface PickedImage {
  base64: string
  preview: string
}

/** Which image of which row is on file, to show it in the form on request. */
interface ImageOnFile {
  ledger: LedgerKind
  id: number
  field: LedgerImageField
}

function ImagePicker({ id, label, issue, onFile, picked, onReading, onPick }: {
  id: string
  label: string
  issue: string | undefined
  /** Null when the row has no image in this field (or is new). */
  onFile: ImageOnFile | null
  picked: PickedImage | null
  /** Called as the file starts being read: the form holds its submit until onPick. */
  onReading(): void
  onPick(image: PickedImage | null, problem: string | null): void
}) {
  const t = useT()
  const { call } = useSession()
  const [filed, setFiled] = useState<{ src: string | null; error: string | null }>({ src: null, error: null })
  const view = (image: ImageOnFile) =>
    call('ledger.image', image)
      .then(({ jpegBase64 }) => setFiled({ src: `data:image/jpeg;base64,${jpegBase64}`, error: null }))
      .catch((failure: unknown) => setFiled({ src: null, error: describeError(failure) }))
  const choose = async (file: File | undefined) => {
    if (!file) return onPick(null, null)
    onReading()
    try {
      const type = await imageTypeOf(file)
      if (!type) return onPick(null, t.ledgers.notImage)
      const base64 = await base64Of(file)
      onPick({ base64, preview: `data:${type};base64,${base64}` }, null)
    } catch (failure) {
      onPick(null, describeError(failure))
    }
  }
  return (
    <FormField id={id} label={label} issue={issue}>
      <div className="ledger-image">
        <FileInput id={id} testId={id} issue={issue} accept="image/jpeg,image/png" onFile={(file) => void choose(file ?? undefined)} />
        {picked && <img className="ledger-image__preview" data-testid={`${id}-preview`} src={picked.preview} alt={label} />}
        {!picked && (
          <span className="ledger-image__state">
            {onFile ? t.ledgers.onFile : t.ledgers.notOnFile}
            {onFile && !filed.src && (
              <button type="button" className="button button--quiet" data-testid={`${id}-view`} onClick={() => void view(onFile)}>
                {t.ledgers.view}
              </button>
            )}
            {filed.error}
          </span>
        )}
        {!picked && filed.src && <img className="ledger-image__preview" data-testid={`${id}-on-file`} src={filed.src} alt={label} />}
      </div>
    </FormField>
  )
}

/** Picked images, the problems of files that were not images, by field, and whether a file is still being read. */
function useImages<F extends string>() {
  const [images, setImages] = useState<Partial<Record<F, PickedImage>>>({})
  const [problems, setProblems] = useState<Issues>({})
  const [reading, setReading] = useState<ReadonlySet<F>>(new Set())
  const readingOf = (field: F, busy: boolean) =>
    setReading((current) => {
      const next = new Set(current)
      if (busy) next.add(field)
      else next.delete(field)
      return next
    })
  const startReading = (field: F) => () => readingOf(field, true)
  const pick = (field: F) => (image: PickedImage | null, problem: string | null) => {
    readingOf(field, false)
    setImages((current) => {
      const next = { ...current }
      if (image) next[field] = image
      else delete next[field]
      return next
    })
    setProblems((current) => {
      const next = { ...current }
      if (problem) next[field] = problem
      else delete next[field]
      return next
    })
  }
  return { images, problems, pick, startReading, reading: reading.size > 0 }
}

type VehicleRow = VehicleRegistration | InnerVehicleView
const VEHICLE_TEXT_FIELDS = ['vin', 'engineNo', 'model', 'onwer', 'address'] as const

/** 车辆备案 (4.1.2) or 厂内车辆 (4.1.7, with carStatus): every spec field, the code tables, both images. */
function VehicleDialog({ ledger, row, prefill, onClose }: { ledger: 'vehicles' | 'innerVehicles'; row: VehicleRow | null; prefill?: RegistrationPrefill; onClose(): void }) {
  const t = useT()
  const f = t.ledgers.fields
  const { call } = useSession()
  const prefix = ledger === 'vehicles' ? 'vehicle' : 'inner'
  const [fields, setFields] = useState(() => ({
    license: row?.license ?? prefill?.license ?? '',
    licenseColor: row?.licenseColor ?? prefill?.licenseColor ?? '1',
    vehicleType: vehicleTypeText(row?.vehicleType ?? ''),
    useCharacter: row?.useCharacter ?? '',
    emissionStandard: row?.emissionStandard ?? '',
    registerDate: row?.registerDate ?? '',
    issueDate: row?.issueDate ?? '',
    vin: row?.vin ?? '',
    engineNo: row?.engineNo ?? '',
    model: row?.model ?? '',
    onwer: row?.onwer ?? '',
    address: row?.address ?? ''
  }))
  const [carStatus, setCarStatus] = useState<CarStatus>(row && 'carStatus' in row ? row.carStatus : '1')
  const { images, problems, pick, startReading, reading } = useImages<'drivingLicenseImg' | 'drivingLicenseImg2'>()
  // One form for both ledgers: the schema of the ledger it saves to checks it (4.1.7 adds carStatus).
  const { issues, error, sending, submit, fix } = useSubmit(
    ledger === 'vehicles' ? commands['vehicles.save'].input : commands['innerVehicles.save'].input,
    (input) =>
      ledger === 'vehicles' ? call('vehicles.save', input as CommandInput<'vehicles.save'>) : call('innerVehicles.save', input as CommandInput<'innerVehicles.save'>),
    onClose
  )
  // Fields filled by a document reading that the admin has not yet changed or confirmed, with the reason to check.
  const [toCheck, setToCheck] = useState<Partial<Record<FilledField, string>>>({})
  const confirm = (name: string) => setToCheck(({ [name as FilledField]: _confirmed, ...rest }) => rest)
  const set = (name: keyof typeof fields) => (value: string) => {
    fix(name)
    setFields((current) => ({ ...current, [name]: value }))
    confirm(name)
  }
  const typeCode = vehicleTypeCode(fields.vehicleType)
  const shown = { ...issues, ...problems }

  /** Fills the form from a reading; a field that had another value, or reads unsure, is marked to check. */
  function applyReading(reading: OcrReading): { filled: number; toCheck: number } {
    const { values, toCheck: unsure } = formValuesOf(reading)
    const marks: Partial<Record<FilledField, string>> = {}
    for (const [name, { problem, percent }] of Object.entries(unsure) as [FilledField, Unsure][]) {
      marks[name] = `${problem ?? t.ocr.check}（${fill(t.ocr.confidence, { percent })}）`
    }
    for (const [name, value] of Object.entries(values) as [FilledField, string][]) {
      const before = fields[name]
      if (before && before !== value && marks[name] === undefined) marks[name] = fill(t.ocr.differs, { before })
    }
    setFields((current) => ({ ...current, ...values }))
    setToCheck((current) => ({ ...current, ...marks }))
    const field = reading.document === 'goodsList' ? 'drivingLicenseImg2' : 'drivingLicenseImg'
    if (reading.document !== 'licenseVice' || !images.drivingLicenseImg) {
      pick(field)({ base64: reading.jpegBase64, preview: `data:image/jpeg;base64,${reading.jpegBase64}` }, null)
    }
    return { filled: Object.keys(values).length, toCheck: Object.keys(marks).length }
  }
  const checked = (name: FilledField, element: ReactNode) => (
    <OcrCheck key={name} id={`${prefix}-${name}`} note={toCheck[name]} onConfirm={() => confirm(name)}>
      {element}
    </OcrCheck>
  )

  function send() {
    const extra: Issues = { ...problems }
    for (const name of Object.keys(toCheck)) extra[name] ??= t.ocr.unconfirmed
    if (typeCode === null) extra.vehicleType = t.ledgers.unknownVehicleType
    const hasImage = Boolean(images.drivingLicenseImg || images.drivingLicenseImg2 || row?.drivingLicenseImg || row?.drivingLicenseImg2)
    if (!hasImage) extra.drivingLicenseImg = t.ledgers.imageRequired
    void submit(
      {
        ...(row ? { id: row.id } : {}),
        ...fields,
        vehicleType: typeCode ?? fields.vehicleType,
        ...(images.drivingLicenseImg ? { drivingLicenseImg: images.drivingLicenseImg.base64 } : {}),
        ...(images.drivingLicenseImg2 ? { drivingLicenseImg2: images.drivingLicenseImg2.base64 } : {}),
        ...(ledger === 'vehicles' && prefill ? { passageId: prefill.passageId } : {}),
        ...(ledger === 'innerVehicles' ? { carStatus } : {})
      },
      extra
    )
  }

  return (
    <DialogFrame
      title={`${ledger === 'vehicles' ? t.ledgers.vehicleTitle : t.ledgers.innerVehicleTitle}${row ? ` · ${row.license}` : ''}`}
      testId={`${prefix}-dialog`}
      sending={sending || reading}
      error={error}
      onSubmit={send}
      onClose={onClose}
      width={760}
    >
      {prefill && <p className="dialog-form__context">{t.ledgers.fromPassage}</p>}
      <DocumentReader prefix={prefix} onRead={applyReading} />
      <div className="ledger-form">
        {checked(
          'license',
          <FormField id={`${prefix}-license`} label={f.license} issue={shown.license}>
            <PlateInput {...describedBy(`${prefix}-license`, shown.license)} data-testid={`${prefix}-license`} value={fields.license} onChange={set('license')} />
          </FormField>
        )}
        <CodeSelect prefix={prefix} name="licenseColor" label={f.licenseColor} issue={shown.licenseColor} table="licenseColor" value={fields.licenseColor} onChange={set('licenseColor')} />
        {checked(
          'vehicleType',
          <FormField id={`${prefix}-vehicleType`} label={f.vehicleType} issue={shown.vehicleType}>
            <input
              {...describedBy(`${prefix}-vehicleType`, shown.vehicleType)}
              data-testid={`${prefix}-vehicleType`}
              list={VEHICLE_TYPE_LIST_ID}
              autoComplete="off"
              placeholder={f.vehicleTypeHint}
              value={fields.vehicleType}
              onChange={(e) => set('vehicleType')(e.target.value)}
            />
            {typeCode && <span className="dialog-form__hint">{vehicleTypeText(typeCode)}</span>}
          </FormField>
        )}
        <datalist id={VEHICLE_TYPE_LIST_ID}>
          {dictionaries.vehicleType.entries.map(({ code }) => (
            <option key={code} value={vehicleTypeText(code)} />
          ))}
        </datalist>
        {checked(
          'useCharacter',
          <CodeSelect prefix={prefix} name="useCharacter" label={f.useCharacter} issue={shown.useCharacter} table="useCharacter" value={fields.useCharacter} onChange={set('useCharacter')} />
        )}
        {checked(
          'emissionStandard',
          <CodeSelect prefix={prefix} name="emissionStandard" label={f.emissionStandard} issue={shown.emissionStandard} table="emissionStage" value={fields.emissionStandard} onChange={set('emissionStandard')} />
        )}
        {VEHICLE_TEXT_FIELDS.map((name) =>
          checked(name, <TextField prefix={prefix} name={name} label={f[name]} issue={shown[name]} value={fields[name]} maxLength={lengthLimit('vehicles.save', name)} onChange={set(name)} />)
        )}
        {checked('registerDate', <DateField prefix={prefix} name="registerDate" label={f.registerDate} issue={shown.registerDate} value={fields.registerDate} onChange={set('registerDate')} />)}
        {checked('issueDate', <DateField prefix={prefix} name="issueDate" label={f.issueDate} issue={shown.issueDate} value={fields.issueDate} onChange={set('issueDate')} />)}
        {ledger === 'innerVehicles' && <StatusSelect id={`${prefix}-carStatus`} label={f.carStatus} issue={shown.carStatus} value={carStatus} onChange={setCarStatus} />}
      </div>
      <div className="ledger-form__images">
        {(['drivingLicenseImg', 'drivingLicenseImg2'] as const).map((field) => (
          <ImagePicker
            key={field}
            id={`${prefix}-${field}`}
            label={f[field]}
            issue={shown[field]}
            onFile={row?.[field] ? { ledger, id: row.id, field } : null}
            picked={images[field] ?? null}
            onReading={startReading(field)}
            onPick={(image, problem) => {
              // Either image fills the "at least one" rule.
              fix('drivingLicenseImg', field)
              pick(field)(image, problem)
            }}
          />
        ))}
      </div>
    </DialogFrame>
  )
}

/** A form field filled by a document reading that reads unsure: marked, with why and a button to confirm it as read. */
function OcrCheck({ id, note, onConfirm, children }: { id: string; note: string | undefined; onConfirm(): void; children: ReactNode }) {
  const t = useT()
  if (note === undefined) return children
  return (
    <div className="ocr-check" data-testid={`${id}-check`}>
      {children}
      <span className="ocr-check__note">
        {note}
        <button type="button" className="button button--quiet" data-testid={`${id}-confirm`} onClick={onConfirm}>
          {t.ocr.confirm}
        </button>
      </span>
    </div>
  )
}

/** 非道路移动机械 (4.1.8): the machine's fields, emission level, status and nameplate image. */
function MachineDialog({ row, onClose }: { row: MachineView | null; onClose(): void }) {
  const t = useT()
  const f = t.ledgers.fields
  const { call } = useSession()
  const [fields, setFields] = useState(() => ({
    mhyPlate: row?.mhyPlate ?? '',
    mhyJXMC: row?.mhyJXMC ?? '',
    emissionLevel: row?.emissionLevel ?? '',
    mhyFrameNo: row?.mhyFrameNo ?? '',
    mhyProdDate: row?.mhyProdDate ?? ''
  }))
  const [mhyStatus, setMhyStatus] = useState<CarStatus>(row?.mhyStatus ?? '1')
  const { images, problems, pick, startReading, reading } = useImages<'imageInfo'>()
  const { issues, error, sending, submit, fix } = useSubmit(commands['machines.save'].input, (input) => call('machines.save', input), onClose)
  const set = (name: keyof typeof fields) => (value: string) => {
    fix(name)
    setFields((current) => ({ ...current, [name]: value }))
  }
  const shown = { ...issues, ...problems }

  function send() {
    const extra: Issues = { ...problems }
    if (!images.imageInfo && !row?.imageInfo) extra.imageInfo = t.ledgers.nameplateRequired
    void submit({ ...(row ? { id: row.id } : {}), ...fields, mhyStatus, ...(images.imageInfo ? { imageInfo: images.imageInfo.base64 } : {}) }, extra)
  }

  return (
    <DialogFrame title={`${t.ledgers.machineTitle}${row ? ` · ${row.mhyPlate}` : ''}`} testId="machine-dialog" sending={sending || reading} error={error} onSubmit={send} onClose={onClose} width={760}>
      <div className="ledger-form">
        <TextField prefix="machine" name="mhyPlate" label={f.mhyPlate} issue={shown.mhyPlate} value={fields.mhyPlate} maxLength={lengthLimit('machines.save', 'mhyPlate')} onChange={set('mhyPlate')} />
        <TextField prefix="machine" name="mhyJXMC" label={f.mhyJXMC} issue={shown.mhyJXMC} value={fields.mhyJXMC} maxLength={lengthLimit('machines.save', 'mhyJXMC')} onChange={set('mhyJXMC')} />
        <CodeSelect prefix="machine" name="emissionLevel" label={f.emissionLevel} issue={shown.emissionLevel} table="emissionStage" value={fields.emissionLevel} onChange={set('emissionLevel')} />
        <TextField prefix="machine" name="mhyFrameNo" label={f.mhyFrameNo} issue={shown.mhyFrameNo} value={fields.mhyFrameNo} maxLength={lengthLimit('machines.save', 'mhyFrameNo')} onChange={set('mhyFrameNo')} />
        <DateField prefix="machine" name="mhyProdDate" label={f.mhyProdDate} issue={shown.mhyProdDate} value={fields.mhyProdDate} onChange={set('mhyProdDate')} />
        <StatusSelect id="machine-mhyStatus" label={f.mhyStatus} issue={shown.mhyStatus} value={mhyStatus} onChange={setMhyStatus} />
      </div>
      <ImagePicker
        id="machine-imageInfo"
        label={f.imageInfo}
        issue={shown.imageInfo}
        onFile={row?.imageInfo ? { ledger: 'machines', id: row.id, field: 'imageInfo' } : null}
        picked={images.imageInfo ?? null}
        onReading={startReading('imageInfo')}
        onPick={(image, problem) => {
          fix('imageInfo')
          pick('imageInfo')(image, problem)
        }}
      />
    </DialogFrame>
  )
}

/** 封存 / 注销 / back to 正常, with a note kept in the row's history. */
function StatusDialog({ ledger, id, subject, status: current, onClose }: { ledger: 'innerVehicles' | 'machines'; id: number; subject: string; status: CarStatus; onClose(): void }) {
  const t = useT()
  const { call } = useSession()
  const [status, setStatus] = useState<CarStatus>(current)
  const [note, setNote] = useState('')
  const command = ledger === 'innerVehicles' ? 'innerVehicles.setStatus' : 'machines.setStatus'
  const { issues, error, sending, submit } = useSubmit(commands[command].input, (input) => call(command, input as CommandInput<typeof command>), onClose)
  return (
    <DialogFrame title={`${t.ledgers.statusTitle} · ${subject}`} testId="status-dialog" sending={sending} error={error} onSubmit={() => void submit({ id, status, note })} onClose={onClose}>
      <StatusSelect id="status-status" label={t.ledgers.fields.status} issue={issues.status} value={status} onChange={setStatus} />
      <TextField prefix="status" name="note" label={t.ledgers.fields.note} issue={issues.note} value={note} maxLength={200} onChange={setNote} />
    </DialogFrame>
  )
}

const GOODS_NAMES_LIST_ID = 'ledger-goods-names'

/** 登记货物 for a passage: a name from the admin's list or typed, the tonnage typed or read from the lane's scale. */
function GoodsDialog({ passage, onClose }: { passage: GoodsPassage; onClose(): void }) {
  const t = useT()
  const f = t.ledgers.fields
  const { call } = useSession()
  const [names, setNames] = useState<string[]>([])
  const [hwmc, setHwmc] = useState('')
  const [ysl, setYsl] = useState('')
  const [weighed, setWeighed] = useState(false)
  const [scale, setScale] = useState<{ message: string; busy: boolean }>({ message: '', busy: false })
  const [loadError, setLoadError] = useState<string | null>(null)
  const { issues, error, sending, submit, fix } = useSubmit(commands['goods.record'].input, (input) => call('goods.record', input), onClose)

  useEffect(() => {
    let cancelled = false
    Promise.all([call('goods.names', {}), call('goods.forPassage', { passageId: passage.passageId })])
      .then(([known, recorded]: [string[], GoodsRecord | null]) => {
        if (cancelled) return
        setNames(known)
        if (recorded) {
          setHwmc(recorded.hwmc)
          setYsl(recorded.ysl)
          setWeighed(recorded.weighed)
        }
      })
      .catch((failure: unknown) => !cancelled && setLoadError(describeError(failure)))
    return () => {
      cancelled = true
    }
  }, [call, passage.passageId])

  const laneId = passage.laneId
  const readScale = async (laneId: string) => {
    setScale({ message: '', busy: true })
    try {
      const reading = await call('goods.weight', { laneId })
      // Only a settled reading is the truck's weight; otherwise main's message says why (moving, no scale, offline).
      if (reading.stable && reading.tonnes !== null) {
        setYsl(reading.tonnes)
        setWeighed(true)
      }
      setScale({ message: reading.message, busy: false })
    } catch (failure) {
      setScale({ message: describeError(failure), busy: false })
    }
  }

  return (
    <DialogFrame
      title={t.ledgers.goodsTitle}
      testId="goods-dialog"
      sending={sending}
      error={error ?? loadError}
      onSubmit={() => void submit({ passageId: passage.passageId, hwmc, ysl, weighed })}
      onClose={onClose}
    >
      <p className="dialog-form__context">
        <PlateBadge plate={passage.plate} colour={passage.plateColour} /> {passage.lsh}
      </p>
      <FormField id="goods-hwmc" label={f.hwmc} issue={issues.hwmc}>
        <input {...describedBy('goods-hwmc', issues.hwmc)} data-testid="goods-hwmc" list={GOODS_NAMES_LIST_ID} autoComplete="off" maxLength={lengthLimit('goods.record', 'hwmc')} value={hwmc} onChange={(e) => (fix('hwmc'), setHwmc(e.target.value))} />
      </FormField>
      <datalist id={GOODS_NAMES_LIST_ID}>
        {names.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <FormField id="goods-ysl" label={f.ysl} issue={issues.ysl}>
        <span className="ledger-scale">
          <input
            {...describedBy('goods-ysl', issues.ysl)}
            data-testid="goods-ysl"
            inputMode="decimal"
            autoComplete="off"
            maxLength={lengthLimit('goods.record', 'ysl')}
            value={ysl}
            onChange={(e) => {
              fix('ysl')
              setYsl(e.target.value)
              setWeighed(false)
            }}
          />
          {laneId && (
            <button type="button" className="button" data-testid="goods-read-scale" disabled={scale.busy} onClick={() => void readScale(laneId)}>
              {t.ledgers.readScale}
            </button>
          )}
        </span>
      </FormField>
      {(scale.message || weighed) && (
        <p className="dialog-form__hint" data-testid="goods-scale-message">
          {weighed && `${t.ledgers.weighed} `}
          {scale.message}
        </p>
      )}
    </DialogFrame>
  )
}

const goodsNamesSchema = commands['goods.setNames'].input

/** The goods names guards pick from, one per line. */
function GoodsNamesDialog({ onClose }: { onClose(): void }) {
  const t = useT()
  const { call } = useSession()
  const [text, setText] = useState('')
  const [loadError, setLoadError] = useState<string | null>(null)
  const { issues, error, sending, submit } = useSubmit(goodsNamesSchema, (input) => call('goods.setNames', input), onClose)
  useEffect(() => {
    call('goods.names', {})
      .then((names) => setText(names.join('\n')))
      .catch((failure: unknown) => setLoadError(describeError(failure)))
  }, [call])
  const names = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  return (
    <DialogFrame title={t.ledgers.goodsNamesTitle} testId="goods-names-dialog" sending={sending} error={error ?? loadError} onSubmit={() => void submit({ names })} onClose={onClose}>
      <FormField id="goods-names" label={t.ledgers.goodsNamesHint} issue={issues.names}>
        <textarea {...describedBy('goods-names', issues.names)} data-testid="goods-names" rows={10} value={text} onChange={(e) => setText(e.target.value)} />
      </FormField>
    </DialogFrame>
  )
}

/** The ledger fields that hold a B7 code, by the table that names it. */
const CODED_FIELDS: Readonly<Record<string, DictionaryKey>> = {
  licenseColor: 'licenseColor',
  vehicleType: 'vehicleType',
  useCharacter: 'useCharacter',
  emissionStandard: 'emissionStage',
  emissionLevel: 'emissionStage',
  fuelType: 'fuelType'
}
const IMAGE_FIELDS = { drivingLicenseImg: true, drivingLicenseImg2: true, imageInfo: true } as const

/** Every change of a row, newest first: the fields before and after, who, and whether it reached the platform. */
function HistoryDialog({ ledger, id, subject, onClose }: { ledger: LedgerKind; id: number; subject: string; onClose(): void }) {
  const t = useT()
  const { call } = useSession()
  const [changes, setChanges] = useState<LedgerChange[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    call('ledger.history', { ledger, id })
      .then(setChanges)
      .catch((failure: unknown) => setError(describeError(failure)))
  }, [call, ledger, id])
  const fieldName = (name: string) => (t.ledgers.fields as Record<string, string>)[name] ?? name
  // Code values read as their labels (B7 tables, the row statuses), never as the code itself.
  const valueOf = (name: string, value: string | null): string => {
    if (value === null || value === '') return '—'
    if (name === 'carStatus' || name === 'mhyStatus') return (t.ledgers.statuses as Record<string, string>)[value] ?? value
    if (name in IMAGE_FIELDS) return t.ledgers.imageReplaced
    const table = CODED_FIELDS[name]
    return table ? (labelOf(table, value) ?? value) : value
  }
  return (
    <DialogFrame title={`${t.ledgers.historyTitle} · ${subject}`} testId="history-dialog" sending={false} error={error} onSubmit={onClose} onClose={onClose} readOnly width={820}>
      {changes?.length === 0 && <p>{t.ledgers.noHistory}</p>}
      {changes && changes.length > 0 && (
        <table className="ledger__table" data-testid="history-table">
          <thead>
            <tr>
              <th>{t.ledgers.at}</th>
              <th>{t.ledgers.by}</th>
              <th>{t.ledgers.action}</th>
              <th>{t.ledgers.changes}</th>
              <th>{t.ledgers.fields.upload}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((change) => (
              <tr key={change.id} data-testid="history-row" data-action={change.action}>
                <td>{formatRecent(change.at)}</td>
                <td>{change.by}</td>
                <td>{t.ledgers.actions[change.action]}</td>
                <td>
                  <ul className="ledger-changes">
                    {Object.entries(change.changes).map(([name, { from, to }]) => (
                      <li key={name}>
                        {fieldName(name)}：{valueOf(name, from)} → {valueOf(name, to)}
                      </li>
                    ))}
                    {change.note && <li>{change.note}</li>}
                  </ul>
                </td>
                <td>
                  <UploadTag state={change.upload} error={change.uploadError} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </DialogFrame>
  )
}

/** An image on file, as the JPEG that is (or will be) uploaded; antd's preview zooms and rotates. */
function ImageDialog({ ledger, id, field, subject, onClose }: { ledger: LedgerKind; id: number; field: LedgerImageField; subject: string; onClose(): void }) {
  const t = useT()
  const { call } = useSession()
  const [jpeg, setJpeg] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    call('ledger.image', { ledger, id, field })
      .then(({ jpegBase64 }) => setJpeg(jpegBase64))
      .catch((failure: unknown) => setError(describeError(failure)))
  }, [call, ledger, id, field])
  const label = t.ledgers.fields[field]
  return (
    <DialogFrame title={`${label} · ${subject}`} testId="ledger-image-dialog" sending={false} error={error} onSubmit={onClose} onClose={onClose} readOnly width={720}>
      {jpeg && (
        <div data-testid="ledger-image">
          <Image src={`data:image/jpeg;base64,${jpeg}`} width={640} alt={`${subject} ${label}`} />
        </div>
      )}
    </DialogFrame>
  )
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Excel import: the whole file or nothing, with every refused row listed (row, field, problem). */
function ImportDialog({ ledger, onClose }: { ledger: LedgerKind; onClose(): void }) {
  const t = useT()
  const { call } = useSession()
  const [file, setFile] = useState<File | null>(null)
  const [result, setResult] = useState<ImportResult | null>(null)
  const [issue, setIssue] = useState<string | undefined>(undefined)
  const [error, setError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)

  const run = async () => {
    if (!file) return setIssue(t.ledgers.importChoose)
    setIssue(undefined)
    setError(null)
    setSending(true)
    try {
      setResult(await call('ledger.import', { ledger, fileName: file.name, base64: await base64Of(file) }))
    } catch (failure) {
      setError(describeError(failure))
    } finally {
      setSending(false)
    }
  }

  let outcome: ReactNode = null
  if (result && result.problems.length === 0) outcome = <p data-testid="import-done">{fill(t.ledgers.imported, { n: result.imported })}</p>
  if (result && result.problems.length > 0) {
    outcome = (
      <>
        <p className="form-error" role="alert" data-testid="import-refused">
          {fill(t.ledgers.importRefused, { n: result.problems.length })}
        </p>
        <table className="ledger__table" data-testid="import-problems">
          <thead>
            <tr>
              <th>{t.ledgers.importRow}</th>
              <th>{t.ledgers.importField}</th>
              <th>{t.ledgers.importMessage}</th>
            </tr>
          </thead>
          <tbody>
            {result.problems.map((problem, index) => (
              <tr key={index} data-testid="import-problem">
                <td>{problem.row}</td>
                <td>{problem.field ? `${(t.ledgers.fields as Record<string, string>)[problem.field] ?? problem.field}（${problem.field}）` : t.ledgers.wholeRow}</td>
                <td>{problem.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    )
  }

  return (
    <DialogFrame
      title={`${t.ledgers.importTitle} · ${t.ledgers.kinds[ledger]}`}
      testId="import-dialog"
      submitLabel={t.ledgers.importRun}
      sending={sending}
      error={error}
      onSubmit={() => void run()}
      onClose={onClose}
      width={720}
    >
      <FormField id="import-file" label={t.ledgers.importFile} issue={issue}>
        <FileInput
          id="import-file"
          testId="import-file"
          issue={issue}
          accept={`.xlsx,${XLSX_MIME}`}
          onFile={(file) => {
            setFile(file)
            setResult(null)
          }}
        />
      </FormField>
      {outcome}
    </DialogFrame>
  )
}
