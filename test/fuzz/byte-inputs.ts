/**
 * Every parser of device bytes the booth has, for test/fuzz/byte-inputs.test.ts. Add one entry per new parser
 * (Modbus barrier replies, LED display acks, weighbridge frames, ONVIF SOAP bodies …): `parse` the raw bytes the
 * way the adapter does, and say what a clear refusal is.
 */
import { jpegProblem } from '../../src/main/photos/jpeg'
import type { ByteInputTarget } from './harness'

const smallJpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9])

export const byteInputTargets: ByteInputTarget[] = [
  {
    name: 'camera photo (jpegProblem)',
    parse: (bytes) => {
      const problem = jpegProblem(bytes)
      if (problem !== null && (typeof problem !== 'string' || problem.length === 0)) throw new Error('a refusal must say why')
      return problem
    },
    isClearError: () => false,
    samples: [smallJpeg]
  }
]
