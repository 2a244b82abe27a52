import { cameraCommands } from '@shared/contract'
import { defineArea } from '../../../core/root/area'
import { createCameras, type Cameras } from './cameras'

declare module '../../../core/root/area' {
  interface Provided {
    /** The lanes' ONVIF cameras: snapshots, live view, and plate reads for whoever takes them (the lanes). */
    cameras: Cameras
  }
}

/**
 * The lanes' ONVIF cameras and their live view. Made before the lanes (a forced pass needs the lane camera's photo);
 * the lanes take the cameras' plate reads, and the cameras connect once every area is made.
 */
export function cameraArea({ secrets }: { secrets?: Record<string, string> } = {}) {
  return defineArea({
    name: 'camera',
    needs: ['devices'],
    provides: ['cameras'],
    commands: cameraCommands,
    create({ devices }, { config, events, log }) {
      const cameras = createCameras({
        lanes: config.lanes,
        secret: (name) => secrets?.[name] ?? process.env[name],
        publish: (event, payload) => events.publish(event, payload),
        log
      })
      for (const camera of cameras.byLane.values()) devices.register(camera)
      return {
        provides: { cameras },
        handlers: {
          'camera.live.watch': ({ laneId, viewerId }) => cameras.watch(laneId, viewerId),
          'camera.live.unwatch': ({ laneId, viewerId }) => cameras.unwatch(laneId, viewerId)
        },
        start: () => cameras.start(),
        stop: () => cameras.stop()
      }
    }
  })
}
