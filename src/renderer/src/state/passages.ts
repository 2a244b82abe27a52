/** Pure bookkeeping of the passage journal: kept newest first and capped, as main orders `passages.list`. */
import type { Passage } from '@shared/contract'

export const PASSAGE_LIMIT = 200

export type LastPassageByLane = Readonly<Record<string, Passage>>

/** Newest first: by the instant the plate was read, then by id (main's order). */
export function compareNewestFirst(a: Passage, b: Passage): number {
  return Date.parse(b.recognizedAt) - Date.parse(a.recognizedAt) || b.id - a.id
}

export function newestFirst(passages: readonly Passage[], limit = PASSAGE_LIMIT): Passage[] {
  return [...passages].sort(compareNewestFirst).slice(0, limit)
}

/** Adds a passage, or replaces the one with the same id, keeping the journal ordered and capped. */
export function upsertPassage(passages: readonly Passage[], passage: Passage, limit = PASSAGE_LIMIT): Passage[] {
  const others = passages.filter((existing) => existing.id !== passage.id)
  const index = others.findIndex((existing) => compareNewestFirst(passage, existing) < 0)
  const at = index === -1 ? others.length : index
  return [...others.slice(0, at), passage, ...others.slice(at)].slice(0, limit)
}

/**
 * Records a passage as its lane's last one when it is that passage updated or a newer one. Kept apart from the
 * journal so a quiet lane keeps its tile when busy lanes push its passages past the cap.
 */
export function withLastPassage(lastByLane: LastPassageByLane, passage: Passage): LastPassageByLane {
  const current = lastByLane[passage.laneId]
  if (current && current.id !== passage.id && compareNewestFirst(passage, current) > 0) return lastByLane
  return { ...lastByLane, [passage.laneId]: passage }
}

export function lastPassagePerLane(passages: readonly Passage[], initial: LastPassageByLane = {}): LastPassageByLane {
  return passages.reduce(withLastPassage, initial)
}
