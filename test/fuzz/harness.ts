/**
 * Fuzzing of external inputs with fast-check: a fixed seed (FUZZ_SEED to vary it), a bounded number of runs, and a
 * printed count of inputs tried. A target says what a clear refusal looks like; the property fails on anything else.
 */
import fc from 'fast-check'
import type { Store } from '../../src/main/booth/store'

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_125)
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 300)

/** Runs `check` on `runs` inputs drawn from `input`; prints and returns how many were tried. */
export async function fuzz<T>(name: string, input: fc.Arbitrary<T>, check: (value: T) => Promise<void> | void, runs = FUZZ_RUNS): Promise<number> {
  let tried = 0
  await fc.assert(
    fc.asyncProperty(input, async (value) => {
      tried++
      await check(value)
    }),
    { seed: FUZZ_SEED, numRuns: runs, endOnFailure: true }
  )
  console.log(`fuzz ${name}: ${tried} inputs tried (seed ${FUZZ_SEED})`)
  return tried
}

/** What must survive a bad input: every row count and the last id of each table. */
export function storeSnapshot(store: Store): Record<string, unknown> {
  return store.db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM passages) AS passages, (SELECT MAX(id) FROM passages) AS lastPassage,
              (SELECT COUNT(*) FROM photos) AS photos, (SELECT COUNT(*) FROM outbox) AS outbox,
              (SELECT COUNT(*) FROM outbox WHERE state = 'pending') AS pending, (SELECT SUM(passages) FROM passage_daily) AS rollup`
    )
    .get() as Record<string, unknown>
}

/** Any JSON value, including deep nesting, odd numbers and non-ASCII text. */
export const anyJson = fc.jsonValue({ maxDepth: 4 })

/** Mostly-JSON text: valid JSON, broken JSON, or random bytes as text. */
export const jsonishText = fc.oneof(
  anyJson.map((value) => JSON.stringify(value)),
  anyJson.map((value) => JSON.stringify(value).slice(0, -1)),
  fc.string({ unit: 'binary', maxLength: 200 })
)

/**
 * A parser of bytes from a device or a peer (a serial frame, a SOAP message, a photo): given arbitrary bytes it
 * must return, or throw an error `isClearError` accepts; never crash differently or hang.
 */
export interface ByteInputTarget {
  name: string
  parse(bytes: Uint8Array): unknown
  isClearError(error: unknown): boolean
  /** Seeds the generator with well-formed inputs so mutations land near the valid ones. */
  samples?: Uint8Array[]
}

/** Arbitrary bytes plus single-byte mutations and truncations of the target's samples. */
export function bytesNear(samples: readonly Uint8Array[] = []): fc.Arbitrary<Uint8Array> {
  const random = fc.uint8Array({ maxLength: 512 })
  if (samples.length === 0) return random
  const mutated = fc
    .tuple(fc.constantFrom(...samples), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat())
    .map(([sample, at, byte, cut]) => {
      const copy = Uint8Array.from(sample)
      if (copy.length > 0) copy[at % copy.length] = byte
      return copy.subarray(0, copy.length === 0 ? 0 : cut % (copy.length + 1))
    })
  return fc.oneof(random, mutated, fc.constantFrom(...samples))
}
