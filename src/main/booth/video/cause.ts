import type { Passage } from '@shared/contract'

/**
 * Why a passage's clip is fetched without anyone asking (the passages an inspector asks about), or null: a forced
 * pass (闯岗), a remote-control raise (遥控抬杆), a manual release (人工放行), a refusal. A passage changes after it is recorded (the guard releases a
 * held truck; the loop reports a forced pass), so this is asked again on every update.
 */
export function clipCause(passage: Pick<Passage, 'decision' | 'reasonCode' | 'forced' | 'raiseSource'>): string | null {
  if (passage.forced) return '闯岗'
  if (passage.raiseSource === 'remote') return '遥控抬杆'
  if (passage.reasonCode.startsWith('manual_release')) return '人工放行'
  if (passage.decision === 'refuse') return '拒绝通行'
  return null
}

/** The clip's period around the read: `preSeconds` before to `postSeconds` after. */
export function clipPeriod(readAt: number, video: { preSeconds: number; postSeconds: number }): { startAt: number; endAt: number } {
  return { startAt: readAt - video.preSeconds * 1000, endAt: readAt + video.postSeconds * 1000 }
}
