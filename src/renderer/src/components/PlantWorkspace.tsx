import { useMemo } from 'react'
import type { Lane } from '@shared/contract'
import { plantFeatures, visibleTo } from '../features'
import { useGate } from '../state/hooks'
import { WorkspaceScreens } from './AdminWorkspace'

const NO_LANES: Lane[] = []

/**
 * The plant's workspace (docs/plant.md): the same login, tabs and dialogs as a booth's admin workspace, without the
 * lane board (the plant has no lanes). Guards read the enterprise's views; admins also manage booths, users, settings.
 */
export function PlantWorkspace() {
  const role = useGate((state) => state.session?.actor?.role)
  const shown = useMemo(() => plantFeatures.filter((feature) => visibleTo(feature, role)), [role])
  return <WorkspaceScreens shown={shown} lanes={NO_LANES} testId="plant-workspace" />
}
