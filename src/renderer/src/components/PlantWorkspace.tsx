import { lazy, Suspense, useMemo } from 'react'
import { plantFeatures, visibleTo } from '../features'
import { useGate } from '../state/hooks'
import { PanelTabs } from '../App'

const DialogHost = lazy(() => import('./dialogs/DialogHost'))

/**
 * The plant's workspace (docs/plant.md): the same login, tabs and dialogs as a booth's admin workspace, without the
 * lane board (the plant has no lanes). Guards read the enterprise's views; admins also manage booths, users, settings.
 */
export function PlantWorkspace() {
  const role = useGate((state) => state.session?.actor?.role)
  const chosen = useGate((state) => state.panel)
  const shown = useMemo(() => plantFeatures.filter((feature) => visibleTo(feature, role)), [role])
  const current = shown.find((feature) => feature.id === chosen) ?? shown[0]
  return (
    <main className="app-main admin-workspace" data-testid="plant-workspace">
      <PanelTabs features={shown} current={current?.id} />
      {current && (
        <Suspense fallback={null}>
          <div className="admin-workspace__screen">
            <current.Screen lanes={[]} />
          </div>
        </Suspense>
      )}
      <Suspense fallback={null}>
        <DialogHost />
      </Suspense>
    </main>
  )
}
