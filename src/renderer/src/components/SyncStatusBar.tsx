import { useState } from 'react'
import type { SyncStatus } from '@shared/contract'
import { describeError } from '../api'
import { formatRecent } from '../format'
import { platformProblemText } from '../platform-text'
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

const KIND_SHORT: Record<string, string> = {
  shareDrivingRecord: '记录',
  sharePhotoInfo: '照片',
  shareGoodsRecord: '货物',
  shareVehInfo: '车辆备案',
  shareInnerVehInfo: '厂内车辆',
  shareInnerMHYElec: '非道路机械'
}

function SyncFigures({ sync }: { sync: SyncStatus }) {
  const link = useGate((state) => state.platformLink)
  const byKind = Object.entries(sync.pendingByKind)
    .map(([kind, count]) => `${KIND_SHORT[kind] ?? '其他'} ${count}`)
    .join('，')
  // The platform status is main's one status from every contact (verification, uploads, probe), not the uploads' own.
  const state = link?.state ?? 'unknown'
  return (
    <>
      <span className={`sync__link sync__link--${state === 'online' ? 'online' : state === 'unknown' ? 'unknown' : 'offline'}`} data-testid="platform-link" data-state={state}>
        {link?.text ?? '平台状态未知'}
        {state === 'online' && sync.paused === 'offline' && '（上传稍后重试）'}
      </span>
      <span className={sync.pending > 0 ? 'sync__count sync__count--pending' : 'sync__count'} title={byKind || undefined} data-testid="sync-pending">
        待上传 <b>{sync.pending}</b>
        {byKind && <span className="sync__muted">（{byKind}）</span>}
      </span>
      {sync.oldestPendingAgeMs !== null && <span className="sync__muted">最早待传 {formatAge(sync.oldestPendingAgeMs)}前</span>}
      {sync.backlog && (
        <span className="sync__muted" data-testid="sync-progress">
          补传进度{' '}
          <progress max={sync.backlog.total} value={sync.backlog.settled}>
            {sync.backlog.settled}/{sync.backlog.total}
          </progress>{' '}
          {sync.backlog.settled}/{sync.backlog.total}
        </span>
      )}
      <span className={sync.dead > 0 ? 'sync__count sync__count--failed' : 'sync__count'} data-testid="sync-dead">
        上传失败 <b>{sync.dead}</b>
      </span>
      <span className="sync__muted">最近成功 {sync.lastSuccessAt ? formatRecent(sync.lastSuccessAt) : '—'}</span>
      {sync.lastError && (
        <span className="sync__error" data-testid="sync-error">
          {platformProblemText(sync.lastError)}
        </span>
      )}
    </>
  )
}

/** 45 秒 / 12 分钟 / 3 小时 / 2 天 */
function formatAge(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  if (seconds < 60) return `${seconds} 秒`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} 分钟`
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} 小时`
  return `${Math.floor(seconds / 86_400)} 天`
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
