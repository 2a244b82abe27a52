import { appCommands, type AppInfo } from '@shared/contract'
import { defineArea, type RootContext } from '../../core/root/area'
import { plantEnterprise, type PlantConfig } from '../config'

/** What the workspace asks first: this is the plant (no lanes of its own), its enterprise and version. */
export const plantAppInfoArea = defineArea({
  name: 'plant-app-info',
  needs: [],
  provides: [],
  commands: appCommands,
  create(_needs, { config, version }: RootContext<PlantConfig>) {
    const enterprise = plantEnterprise(config)
    const info: AppInfo = { version, demo: false, enterpriseCode: enterprise.code, enterpriseName: enterprise.name, lanes: [], plant: true }
    return { provides: {}, handlers: { 'app.info': () => info } }
  }
})
