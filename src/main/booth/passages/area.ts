import { passageCommands } from '@shared/contract'
import { ApiFailure } from '../../core/api/errors'
import { defineArea } from '../../core/root/area'
import { isoOf } from '../../core/time'

/** The journal: recorded passages, filtered, and the photos of one. */
export const passagesArea = defineArea({
  name: 'passages',
  needs: ['store'],
  provides: [],
  commands: passageCommands,
  create({ store }) {
    return {
      provides: {},
      handlers: {
        'passages.list': (filter) => store.passages.list(filter),
        'passage.photos': ({ passageId }) => {
          if (!store.passages.get(passageId)) throw new ApiFailure('not_found', `没有编号为 ${passageId} 的过车记录`)
          return store.photos.forPassage(passageId).map((photo) => ({
            zpbh: photo.zpbh,
            zplx: photo.zplx,
            takenAt: isoOf(photo.takenAt),
            jpegBase64: store.photoFiles.read(photo).toString('base64')
          }))
        }
      }
    }
  }
})
