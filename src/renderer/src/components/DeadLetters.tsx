import { useCallback, useEffect, useState } from 'react'
import type { DeadLetterView } from '@shared/contract'
import { describeError } from '../api'
import { formatRecent } from '../format'
import { platformProblemText } from '../platform-text'
import { useGate, useSession } from '../state/hooks'

const KIND_LABEL: Record<string, string> = {
  shareDrivingRecord: '过车记录',
  sharePhotoInfo: '过车照片',
  shareGoodsRecord: '货物记录',
  shareVehInfo: '车辆备案',
  shareInnerVehInfo: '厂内车辆',
  shareInnerMHYElec: '非道路移动机械'
}
/** Chinese names of the spec fields a refusal most often names; the spec name is shown next to it. */
const FIELD_LABEL: Record<string, string> = {
  lsh: '流水号',
  qybh: '企业编号',
  qymc: '企业名称',
  dzbh: '道闸编号',
  cphm: '车牌号码',
  cpys: '车牌颜色',
  tgsjq: '通过时间起',
  tgsjz: '通过时间止',
  tgzt: '通过状态',
  bgzt: '抬杆状态',
  zpbh: '照片编号',
  zplx: '照片类型',
  pzsj: '拍照时间'
}
const fieldName = (field: string) => (FIELD_LABEL[field] ? `${FIELD_LABEL[field]}（${field}）` : field)

/**
 * Uploads the platform refused or pre-flight stopped, with the reason per field. An admin corrects the named fields
 * and re-sends; nothing here deletes anything. Reloads whenever the number of dead letters changes.
 */
export function DeadLetters() {
  const { call } = useSession()
  const dead = useGate((state) => state.sync?.dead ?? 0)
  const [letters, setLetters] = useState<DeadLetterView[]>([])
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(async () => {
    try {
      setLetters(await call('outbox.deadLetters', {}))
      setError(null)
    } catch (failure) {
      setError(describeError(failure))
    }
  }, [call])

  useEffect(() => {
    void load()
  }, [load, dead])

  if (letters.length === 0 && !error) return null
  return (
    <section className="dead-letters" data-testid="dead-letters" style={{ margin: '12px 16px', padding: 12, border: '1px solid #d4380d', borderRadius: 6 }}>
      <h2 style={{ fontSize: 17, marginBottom: 8 }}>上传失败，待处理（{letters.length}）</h2>
      {error && <p role="alert">加载失败：{error}</p>}
      {letters.map((letter) => (
        <DeadLetterItem key={letter.id} letter={letter} onChanged={load} />
      ))}
    </section>
  )
}

function DeadLetterItem({ letter, onChanged }: { letter: DeadLetterView; onChanged: () => Promise<void> }) {
  const { call } = useSession()
  const [changes, setChanges] = useState<Record<string, string>>({})
  const [problems, setProblems] = useState<{ field: string; message: string }[]>(letter.fields)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const fieldNames = [...new Set(letter.fields.map((field) => field.field).filter((field) => field !== ''))]

  async function run(action: () => Promise<void>) {
    setBusy(true)
    setError(null)
    try {
      await action()
      await onChanged()
    } catch (failure) {
      setError(describeError(failure))
    } finally {
      setBusy(false)
    }
  }

  const fix = () =>
    run(async () => {
      const result = await call('outbox.fix', { id: letter.id, changes })
      if (!result.requeued) setProblems(result.problems)
    })
  const requeue = () =>
    run(async () => {
      await call('outbox.requeue', { id: letter.id })
    })

  return (
    <article data-testid="dead-letter" data-id={letter.id} style={{ borderTop: '1px solid #eee', padding: '8px 0' }}>
      <div>
        <b>{KIND_LABEL[letter.kind] ?? letter.kind}</b> {letter.idemKey}
        {letter.payload.cphm && <> · {letter.payload.cphm}</>} · 记录于 {formatRecent(letter.createdAt)} · 已尝试 {letter.attempts} 次
        {letter.fixedBy && (
          <span>
            {' '}
            · 已由 {letter.fixedBy} 修改{letter.fixedAt ? `（${formatRecent(letter.fixedAt)}）` : ''}
          </span>
        )}
      </div>
      <div style={{ color: '#cf1322', wordBreak: 'break-all' }}>原因：{platformProblemText(letter.reason)}</div>
      <ul>
        {problems.map((problem, index) => (
          <li key={`${problem.field}-${index}`}>
            {problem.field ? fieldName(problem.field) : '整条'}：{platformProblemText(problem.message)}
          </li>
        ))}
      </ul>
      {letter.fixable ? (
        <form
          onSubmit={(event) => {
            event.preventDefault()
            void fix()
          }}
        >
          {fieldNames.map((field) => (
            <label key={field} style={{ marginRight: 12 }}>
              {fieldName(field)}{' '}
              <input
                data-field={field}
                defaultValue={letter.payload[field] ?? ''}
                onChange={(event) => setChanges((current) => ({ ...current, [field]: event.target.value }))}
              />
            </label>
          ))}
          <button type="submit" disabled={busy}>
            {fieldNames.length > 0 ? '修改并重新上传' : '重新上传'}
          </button>
        </form>
      ) : (
        <div>
          <span>此条无法通过修改字段解决（例如照片文件损坏或丢失）。</span>{' '}
          <button type="button" disabled={busy} onClick={() => void requeue()}>
            重新上传
          </button>
        </div>
      )}
      {error && <p role="alert">操作失败：{error}</p>}
    </article>
  )
}
