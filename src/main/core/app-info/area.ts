import { appCommands, type AppInfo } from '@shared/contract'
import { defineArea } from '../root/area'

/** What the renderer asks first, before login: the version, demo mode, the enterprise and its lanes. */
export const appInfoArea = defineArea({
  name: 'app-info',
  needs: [],
  provides: [],
  commands: appCommands,
  create(_needs, { config, version, demo }) {
    const info: AppInfo = {
      version,
      demo,
      enterpriseCode: config.enterprise.code,
      enterpriseName: config.enterprise.name,
      lanes: config.lanes.map(({ id, name, gateCode, direction }) => ({ id, name, gateCode, direction }))
    }
    return { provides: {}, handlers: { 'app.info': () => info } }
  }
})
