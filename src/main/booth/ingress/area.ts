import { defineArea } from '../../core/root/area'
import { startLprIngress, type LprIngress } from './lpr-push'

declare module '../../core/root/area' {
  interface Provided {
    /** Where plate cameras push their reads: POST {url}/lpr/{laneId}. */
    lpr: LprIngress
  }
}

/** The plate cameras' push endpoint (config `lpr`), listening from the moment the area is made. */
export const lprIngressArea = defineArea({
  name: 'lpr-ingress',
  needs: ['lanes', 'clock'],
  provides: ['lpr'],
  commands: {},
  async create({ lanes, clock }, { config }) {
    const lpr = await startLprIngress({ host: config.lpr.host, port: config.lpr.port, handle: (read) => lanes.handlePlateRead(read), now: clock })
    return { provides: { lpr }, handlers: {}, stop: () => lpr.close() }
  }
})
