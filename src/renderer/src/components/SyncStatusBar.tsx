import { useState } from 'react'
import type { SyncStatus } from '@shared/contract'
import { describeError } from '../api'
import { formatRecent } from '../format'
import { useGate, useSession } from '../state/hooks'

/** Whether the city platform has every passage: always in view, since an unsent record is the plant's liability. */
export function SyncStatusBar() {
  const sync = useGate((state) => state.sync)
  return (
    <div className="sync">
      <div className="sync__status" data-testid="sync-status" data-pending={sync?.pending}>
        {sync ? <SyncFigures sync={sync} /> : <span className="sync__muted">同步状态加载中…</span>}
      </div>
      <SyncNowButton />
    </div>
  )
}

function SyncFigures({ sync }: { sync: SyncStatus }) {
  return (
    <>
      <span className={sync.online ? 'sync__link sync__link--online' : 'sync__link sync__link--offline'}>
        {sync.online ? '平台在线' : '平台离线'}
      </span>
      <span className={sync.pending > 0 ? 'sync__count sync__count--pending' : 'sync__count'}>
        待上传 <b>{sync.pending}</b>
      </span>
      <span className={sync.failed > 0 ? 'sync__count sync__count--failed' : 'sync__count'}>
        上传失败 <b>{sync.failed}</b>
      </span>
      <span className="sync__muted">最近成功 {sync.lastSuccessAt ? formatRecent(sync.lastSuccessAt) : '—'}</span>
      {sync.lastError && (
        <span className="sync__error" title={sync.lastError}>
          {sync.lastError}
        </span>
      )}
    </>
  )
}

function SyncNowButton() {
  const { syncNow } = useSession()
  const [running, setRunning] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function run() {
    setRunning(true)
    setError(null)
    try {
      await syncNow()
    } catch (failure) {
      setError(describeError(failure))
    } finally {
      setRunning(false)
    }
  }

  return (
    <>
      <button type="button" className="sync__now" data-testid="sync-now" onClick={run} disabled={running}>
        {running ? '同步中…' : '立即同步'}
      </button>
      {error && (
        <span className="sync__error" role="alert">
          同步请求失败：{error}
        </span>
      )}
    </>
  )
}
