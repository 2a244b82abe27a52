import { describe, expect, it } from 'vitest'
import { byteInputTargets } from './byte-inputs'
import { bytesNear, fuzz } from './harness'

describe('device byte inputs under fuzzing', () => {
  for (const target of byteInputTargets) {
    it(`${target.name}: returns or refuses clearly, whatever the bytes`, async () => {
      const tried = await fuzz(target.name, bytesNear(target.samples), (bytes) => {
        try {
          target.parse(bytes)
        } catch (error) {
          if (!target.isClearError(error)) throw error
        }
      }, 2000)
      expect(tried).toBe(2000)
    })
  }
})
