import { lazy, Suspense, useMemo } from 'react'
import type { Lane } from '@shared/contract'
import { features, screensOn, type Feature } from '../features'
import { useT } from '../i18n'
import { goTo, usePage } from '../route'
import { useGate } from '../state/hooks'
import { PanelTabs } from '../App'

const DialogHost = lazy(() => import('./dialogs/DialogHost'))

/**
 * The admin's own page (#/admin), apart from the lane board: ledgers, reports, audit, failed uploads, alarm history
 * and settings, each a screen of the feature table marked `workspace: 'admin'`, with the whole height to itself.
 */
export function AdminWorkspace() {
  const info = useGate((state) => state.info)!
  const role = useGate((state) => state.session?.actor?.role)
  const shown = useMemo(() => screensOn(features, 'admin', role), [role])
  return <WorkspaceScreens shown={shown} lanes={info.lanes} testId="admin-workspace" />
}

/** A workspace page: the tabs of `shown`, the chosen screen (or the first) with the whole height, the dialogs. */
export function WorkspaceScreens({ shown, lanes, testId }: { shown: readonly Feature[]; lanes: Lane[]; testId: string }) {
  const chosen = useGate((state) => state.panel)
  const current = shown.find((feature) => feature.id === chosen) ?? shown[0]
  return (
    <main className="app-main admin-workspace" data-testid={testId}>
      <PanelTabs features={shown} current={current?.id} />
      {current && (
        <Suspense fallback={null}>
          <div className="admin-workspace__screen">
            <current.Screen lanes={lanes} />
          </div>
        </Suspense>
      )}
      <Suspense fallback={null}>
        <DialogHost />
      </Suspense>
    </main>
  )
}

/** 车道监控 ⇄ 管理后台, for admins only: a guard has the board alone and never reaches the settings. */
export function WorkspaceSwitch() {
  const t = useT()
  const role = useGate((state) => state.session?.actor?.role)
  const page = usePage()
  const plant = useGate((state) => state.info?.plant === true)
  // The plant has one workspace and no board to switch to.
  if (role !== 'admin' || plant) return null
  const target = page === 'admin' ? 'board' : 'admin'
  return (
    <button type="button" className="button workspace-switch" data-testid={`nav-${target}`} onClick={() => goTo(target)}>
      {target === 'admin' ? t.adminSettings.workspace : t.adminSettings.board}
    </button>
  )
}
