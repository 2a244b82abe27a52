import type { AppInfo } from '@shared/contract'
import { useT } from '../i18n'
import { formatClock } from '../format'
import { useGate, useSession } from '../state/hooks'
import { SyncStatusBar } from './SyncStatusBar'
import { WorkspaceSwitch } from './AdminWorkspace'

export function Header({ info }: { info: AppInfo | null }) {
  const t = useT()
  return (
    <header className="app-header">
      <div className="app-header__title">
        <h1>{info?.enterpriseName ?? t.appTitle}</h1>
        {info?.demo && <span className="tag tag--demo">{t.demo}</span>}
      </div>
      <SyncStatusBar />
      <WorkspaceSwitch />
      <DutyBar />
    </header>
  )
}

/** Who is on duty (stamped on every manual action by main), hand-over, logout and the language switch. */
function DutyBar() {
  const t = useT()
  const session = useGate((state) => state.session)
  const locale = useGate((state) => state.locale)
  const store = useSession().store
  const { logout } = useSession()
  const actor = session?.actor
  return (
    <div className="duty">
      {actor && (
        <>
          <span className="duty__who" data-testid="on-duty" data-user={actor.userId}>
            {t.duty.onDuty}：<b>{actor.name}</b>（{t.role[actor.role]}）
            {session.since && (
              <span className="duty__since">
                {t.duty.since} {formatClock(session.since)}
              </span>
            )}
          </span>
          <button type="button" className="button" data-testid="handover" onClick={() => store.getState().openDialog({ kind: 'handover' })}>
            {t.duty.handover}
          </button>
          <button type="button" className="button" data-testid="logout" onClick={() => void logout()}>
            {t.duty.logout}
          </button>
        </>
      )}
      <button type="button" className="button button--quiet" data-testid="language" onClick={() => store.getState().setLocale(locale === 'zh' ? 'en' : 'zh')}>
        {t.language}
      </button>
    </div>
  )
}
