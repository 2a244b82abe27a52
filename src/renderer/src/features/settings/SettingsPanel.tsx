import { useCallback, useEffect, useState } from 'react'
import { ConfigProvider, DatePicker } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import enUS from 'antd/locale/en_US'
import dayjs from 'dayjs'
import type { ControlMeasures, ControlMeasuresView, Lane, LaneSettings, LaneSettingsView, ListValidity, LocalListEntry, PlantLaneSettingsView } from '@shared/contract'
import { controlMeasuresSchema, plateSchema } from '@shared/contract'
import { dictionaries, labelOf, type DictionaryKey } from '@shared/spec'
import { describeError, fieldIssues } from '../../api'
import { describedBy, FormField, type Issues } from '../../components/form'
import { formatDateTime, formatRecent } from '../../format'
import { fill, useT, type Messages } from '../../i18n'
import { useGate, useSession } from '../../state/hooks'
import type { ScreenProps } from '../feature'
import './settings.css'

type S = Messages['adminSettings']

/** 系统设置: what the lanes decide by besides the platform, set by an admin; every change is audited by main. */
export default function SettingsPanel({ lanes }: ScreenProps) {
  const t = useT()
  const locale = useGate((state) => state.locale)
  return (
    <ConfigProvider locale={locale === 'zh' ? zhCN : enUS}>
      <div className="settings" data-testid="settings-panel">
        <MeasuresForm s={t.adminSettings} />
        <LocalLists s={t.adminSettings} />
        {/* The plant has no lanes of its own: it sets the lanes its booths reported, per gate. */}
        {lanes.length > 0 ? <LaneSettingsForm s={t.adminSettings} lanes={lanes} /> : <PlantLaneSettingsForm s={t.adminSettings} t={t} />}
      </div>
    </ConfigProvider>
  )
}

type MeasureField = 'level' | 'area' | 'strategy' | 'enterpriseType' | 'measures'
const MEASURE_TABLES: Record<MeasureField, DictionaryKey> = {
  level: 'controlLevel',
  area: 'controlArea',
  strategy: 'controlStrategy',
  enterpriseType: 'enterpriseControlType',
  measures: 'enterpriseControlMeasures'
}
const NO_MEASURES: ControlMeasures = { level: null, area: null, strategy: null, enterpriseType: null, measures: null, note: '', startsAt: null, endsAt: null }

/** Whether measures saved with this window apply now. */
function windowState(view: ControlMeasuresView, now = Date.now()): 'inForce' | 'notYet' | 'ended' {
  if (view.startsAt && now < Date.parse(view.startsAt)) return 'notYet'
  if (view.endsAt && now >= Date.parse(view.endsAt)) return 'ended'
  return 'inForce'
}

function MeasuresForm({ s }: { s: S }) {
  const { call } = useSession()
  const [saved, setSaved] = useState<ControlMeasuresView | null>(null)
  const [form, setForm] = useState<ControlMeasures>(NO_MEASURES)
  const [issues, setIssues] = useState<Issues>({})
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)

  useEffect(() => {
    call('controlMeasures.get', {}).then(
      (view) => {
        setSaved(view)
        setForm({ ...view })
      },
      (failure: unknown) => setMessage({ ok: false, text: describeError(failure) })
    )
  }, [call])

  // A field's problem goes as soon as the field changes.
  const change = <K extends keyof ControlMeasures>(field: K, value: ControlMeasures[K]) => {
    setForm((current) => ({ ...current, [field]: value }))
    setIssues(({ [field]: _fixed, ...rest }) => rest)
    setMessage(null)
  }

  async function save() {
    const input = { level: form.level, area: form.area, strategy: form.strategy, enterpriseType: form.enterpriseType, measures: form.measures, note: form.note, startsAt: form.startsAt ?? null, endsAt: form.endsAt ?? null }
    const parsed = controlMeasuresSchema.safeParse(input)
    if (!parsed.success) return setIssues(Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? ''), issue.message])))
    try {
      const view = await call('controlMeasures.set', input)
      setSaved(view)
      setIssues({})
      setMessage({ ok: true, text: s.saved })
    } catch (failure) {
      setIssues(fieldIssues(failure))
      setMessage({ ok: false, text: describeError(failure) })
    }
  }

  const state = saved ? windowState(saved) : null
  const anySet = saved && (saved.level ?? saved.area ?? saved.strategy ?? saved.enterpriseType ?? saved.measures) !== null
  return (
    <section className="settings__section" data-testid="settings-measures" aria-label={s.measuresTitle}>
      <h2>{s.measuresTitle}</h2>
      <p className="settings__status" data-testid="measures-state" data-state={anySet ? state : 'none'}>
        {!saved ? '' : !anySet ? s.noControl : s[state!]}
        {saved?.updatedAt && (
          <span className="settings__muted">
            {' '}
            · {s.updated} {formatRecent(saved.updatedAt)}（{saved.updatedBy}）
          </span>
        )}
      </p>
      <div className="settings__grid">
        {(Object.keys(MEASURE_TABLES) as MeasureField[]).map((field) => (
          <FormField key={field} id={`measures-${field}`} label={s[field]} issue={issues[field]}>
            <select {...describedBy(`measures-${field}`, issues[field])} data-testid={`measures-${field}`} value={form[field] ?? ''} onChange={(event) => change(field, (event.target.value || null) as never)}>
              <option value="">{s.notSet}</option>
              {dictionaries[MEASURE_TABLES[field]].entries.map((entry) => (
                <option key={entry.code} value={entry.code}>
                  {labelOf(MEASURE_TABLES[field], entry.code)}
                </option>
              ))}
            </select>
          </FormField>
        ))}
        <FormField id="measures-startsAt" label={s.startsAt} issue={issues.startsAt}>
          <DatePicker
            id="measures-startsAt"
            data-testid="measures-startsAt"
            showTime
            placeholder={s.startsNow}
            value={form.startsAt ? dayjs(form.startsAt) : null}
            onChange={(value) => change('startsAt', value ? value.format() : null)}
          />
        </FormField>
        <FormField id="measures-endsAt" label={s.endsAt} issue={issues.endsAt}>
          <DatePicker id="measures-endsAt" data-testid="measures-endsAt" showTime placeholder={s.endsNever} value={form.endsAt ? dayjs(form.endsAt) : null} onChange={(value) => change('endsAt', value ? value.format() : null)} />
        </FormField>
        <FormField id="measures-note" label={s.note} issue={issues.note}>
          <input {...describedBy('measures-note', issues.note)} data-testid="measures-note" value={form.note} maxLength={200} onChange={(event) => change('note', event.target.value)} />
        </FormField>
      </div>
      <div className="settings__actions">
        <button type="button" className="button button--primary" data-testid="measures-save" onClick={() => void save()}>
          {s.save}
        </button>
        {message && (
          <span className={message.ok ? 'settings__ok' : 'form-error'} role={message.ok ? 'status' : 'alert'} data-testid="measures-message">
            {message.text}
          </span>
        )}
      </div>
    </section>
  )
}

const VALIDITIES: ListValidity[] = ['1m', '3m', '1y', 'permanent']

function LocalLists({ s }: { s: S }) {
  const { call } = useSession()
  const [entries, setEntries] = useState<LocalListEntry[]>([])
  const [kind, setKind] = useState<LocalListEntry['kind']>('black')
  const [plate, setPlate] = useState('')
  const [validity, setValidity] = useState<ListValidity>('1m')
  const [note, setNote] = useState('')
  const [issues, setIssues] = useState<Issues>({})
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => call('localLists.list', {}).then(setEntries, (failure: unknown) => setError(describeError(failure))), [call])
  useEffect(() => void load(), [load])

  async function add() {
    const checked = plateSchema.safeParse(plate)
    if (!checked.success) return setIssues({ plate: checked.error.issues[0]?.message ?? '' })
    try {
      await call('localLists.add', { kind, plate, note, validity })
      setPlate('')
      setNote('')
      setIssues({})
      setError(null)
      await load()
    } catch (failure) {
      setIssues(fieldIssues(failure))
      setError(describeError(failure))
    }
  }

  async function remove(entry: LocalListEntry) {
    try {
      await call('localLists.remove', { kind: entry.kind, plate: entry.plate })
      await load()
    } catch (failure) {
      setError(describeError(failure))
    }
  }

  const now = Date.now()
  return (
    <section className="settings__section" data-testid="settings-lists" aria-label={s.listsTitle}>
      <h2>{s.listsTitle}</h2>
      <div className="settings__grid">
        <FormField id="list-kind" label={s.kind} issue={undefined}>
          <select id="list-kind" data-testid="list-kind" value={kind} onChange={(event) => setKind(event.target.value as LocalListEntry['kind'])}>
            <option value="black">{s.black}</option>
            <option value="white">{s.white}</option>
          </select>
        </FormField>
        <FormField id="list-plate" label={s.plate} issue={issues.plate}>
          <input
            {...describedBy('list-plate', issues.plate)}
            data-testid="list-plate"
            value={plate}
            maxLength={10}
            onChange={(event) => {
              setPlate(event.target.value)
              setIssues(({ plate: _fixed, ...rest }) => rest)
            }}
          />
        </FormField>
        <FormField id="list-validity" label={s.validity} issue={issues.validity}>
          <select id="list-validity" data-testid="list-validity" value={validity} onChange={(event) => setValidity(event.target.value as ListValidity)}>
            {VALIDITIES.map((value) => (
              <option key={value} value={value}>
                {s.validities[value]}
              </option>
            ))}
          </select>
        </FormField>
        <FormField id="list-note" label={s.note} issue={issues.note}>
          <input id="list-note" data-testid="list-note" value={note} maxLength={200} onChange={(event) => setNote(event.target.value)} />
        </FormField>
      </div>
      <div className="settings__actions">
        <button type="button" className="button button--primary" data-testid="list-add" onClick={() => void add()}>
          {s.add}
        </button>
        {error && (
          <span className="form-error" role="alert">
            {error}
          </span>
        )}
      </div>
      {entries.length === 0 ? (
        <p className="journal__empty">{s.listEmpty}</p>
      ) : (
        <table className="settings__table">
          <thead>
            <tr>
              <th>{s.kind}</th>
              <th>{s.plate}</th>
              <th>{s.expiresAt}</th>
              <th>{s.note}</th>
              <th>{s.addedBy}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => {
              const expired = entry.expiresAt !== null && Date.parse(entry.expiresAt) <= now
              return (
                <tr key={`${entry.kind}-${entry.plate}`} data-testid="list-row" data-kind={entry.kind} data-plate={entry.plate} data-expired={expired}>
                  <td>{s[entry.kind]}</td>
                  <td>{entry.plate}</td>
                  <td>{entry.expiresAt === null ? s.permanent : `${formatDateTime(entry.expiresAt)}${expired ? `（${s.expired}）` : ''}`}</td>
                  <td>{entry.note}</td>
                  <td>
                    {entry.createdBy} {formatRecent(entry.createdAt)}
                  </td>
                  <td>
                    <button type="button" className="button" data-testid="list-remove" onClick={() => void remove(entry)}>
                      {s.remove}
                    </button>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}

function LaneSettingsForm({ s, lanes }: { s: S; lanes: Lane[] }) {
  const { call } = useSession()
  const [views, setViews] = useState<LaneSettingsView[]>([])
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    call('laneSettings.list', {}).then(setViews, (failure: unknown) => setError(describeError(failure)))
  }, [call])
  return (
    <section className="settings__section" data-testid="settings-lanes" aria-label={s.lanesTitle}>
      <h2>{s.lanesTitle}</h2>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="settings__lanes">
        {lanes.map((lane) => {
          const view = views.find((candidate) => candidate.laneId === lane.id)
          const onSaved = (saved: LaneSettingsView) => setViews((all) => all.map((one) => (one.laneId === saved.laneId ? saved : one)))
          const save = (settings: Omit<LaneSettings, 'laneId'>) => call('laneSettings.set', { laneId: lane.id, ...settings })
          return view ? <LaneCard key={lane.id} s={s} lane={lane} view={view} save={save} onSaved={onSaved} /> : null
        })}
      </div>
    </section>
  )
}

/** 各门岗车道设置 at the plant: the lanes each gate's booth reported, set here and sent down to that booth. */
function PlantLaneSettingsForm({ s, t }: { s: S; t: Messages }) {
  const { call } = useSession()
  const [views, setViews] = useState<PlantLaneSettingsView[]>([])
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    call('plant.laneSettings', {}).then(setViews, (failure: unknown) => setError(describeError(failure)))
  }, [call])
  const gates = [...new Set(views.map((view) => view.gateCode))]
  return (
    <section className="settings__section" data-testid="settings-lanes" aria-label={s.lanesTitle}>
      <h2>{s.lanesTitle}</h2>
      <p className="settings__muted">{t.plantSettings.lanesHint}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {views.length === 0 && !error && <p className="settings__muted">{t.plantSettings.lanesNone}</p>}
      {gates.map((gate) => (
        <div key={gate} data-testid="plant-gate-lanes" data-gate={gate}>
          <h3>{fill(t.plant.gateN, { gate })}</h3>
          <div className="settings__lanes">
            {views
              .filter((view) => view.gateCode === gate)
              .map((view) => {
                const lane = { id: view.laneId, name: view.name, direction: view.direction }
                const save = (settings: Omit<LaneSettings, 'laneId'>) => call('plant.setLaneSettings', { gateCode: gate, laneId: view.laneId, laneName: view.name, ...settings })
                const onSaved = (saved: PlantLaneSettingsView) => setViews((all) => all.map((one) => (one.gateCode === saved.gateCode && one.laneId === saved.laneId ? saved : one)))
                return <LaneCard key={view.laneId} s={s} lane={lane} view={view} save={save} onSaved={onSaved} />
              })}
          </div>
        </div>
      ))}
    </section>
  )
}

function LaneCard<V extends LaneSettingsView>({
  s,
  lane,
  view,
  save: send,
  onSaved
}: {
  s: S
  lane: Pick<Lane, 'id' | 'name' | 'direction'>
  view: V
  save: (settings: Omit<LaneSettings, 'laneId'>) => Promise<V>
  onSaved: (view: V) => void
}) {
  const t = useT()
  const [colours, setColours] = useState<string[]>(view.allowedColours)
  const [confirmEach, setConfirmEach] = useState(view.confirmEveryOpening)
  const [goods, setGoods] = useState(view.goodsBeforeExit)
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)

  async function save() {
    try {
      const saved = await send({ allowedColours: colours, confirmEveryOpening: confirmEach, goodsBeforeExit: lane.direction === 'out' && goods })
      onSaved(saved)
      setMessage({ ok: true, text: s.saved })
    } catch (failure) {
      setMessage({ ok: false, text: describeError(failure) })
    }
  }

  const toggle = (code: string, on: boolean) => {
    setColours((current) => (on ? [...current, code] : current.filter((one) => one !== code)))
    setMessage(null)
  }
  return (
    <fieldset className="settings__lane" data-testid="lane-settings" data-lane-id={lane.id}>
      <legend>
        {lane.name}（{lane.direction === 'in' ? s.entry : s.exit}）
      </legend>
      <div className="settings__colours" role="group" aria-label={s.allowedColours}>
        <span>
          {s.allowedColours}
          <span className="settings__muted">（{s.allColours}）</span>
        </span>
        {dictionaries.licenseColor.entries.map((entry) => (
          <label key={entry.code}>
            <input type="checkbox" data-testid={`lane-colour-${entry.code}`} checked={colours.includes(entry.code)} onChange={(event) => toggle(entry.code, event.target.checked)} />
            {labelOf('licenseColor', entry.code)}
          </label>
        ))}
      </div>
      <label>
        <input type="checkbox" data-testid="lane-confirm" checked={confirmEach} onChange={(event) => (setConfirmEach(event.target.checked), setMessage(null))} />
        {s.confirmEach}
      </label>
      {lane.direction === 'out' && (
        <label>
          <input type="checkbox" data-testid="lane-goods" checked={goods} onChange={(event) => (setGoods(event.target.checked), setMessage(null))} />
          {s.goodsBeforeExit}
        </label>
      )}
      <div className="settings__actions">
        <button type="button" className="button button--primary" data-testid="lane-save" onClick={() => void save()}>
          {s.save}
        </button>
        {message && (
          <span className={message.ok ? 'settings__ok' : 'form-error'} role={message.ok ? 'status' : 'alert'} data-testid="lane-message">
            {message.text}
          </span>
        )}
      </div>
      {/* Who set the lane last: at an edge booth, possibly the plant's admin (down the feed). */}
      {view.updatedAt && view.updatedBy && (
        <p className="settings__muted" data-testid="lane-updated">
          {fill(t.plantSettings.lastChange, { by: view.updatedBy, at: formatRecent(view.updatedAt) })}
        </p>
      )}
    </fieldset>
  )
}
