import type { AppInfo } from '@shared/contract'
import { SyncStatusBar } from './SyncStatusBar'

export function Header({ info }: { info: AppInfo | null }) {
  return (
    <header className="app-header">
      <div className="app-header__title">
        <h1>{info?.enterpriseName ?? '门岗道闸管理'}</h1>
        {info?.demo && <span className="tag tag--demo">演示模式</span>}
      </div>
      <SyncStatusBar />
    </header>
  )
}
