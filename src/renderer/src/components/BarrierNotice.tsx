import type { LaneState } from '@shared/contract'

/**
 * Why the lane holds its arm up (防砸: a vehicle still under it, the lower waits). On the tile the line is always
 * there, empty when there is nothing to say, so the board does not jump when it appears; in the attention card it
 * shows only when there is a notice.
 */
export function BarrierNotice({ state, reserved }: { state: LaneState | undefined; reserved: boolean }) {
  const notice = state?.barrierNotice ?? null
  if (!notice && !reserved) return null
  return (
    <p className={reserved ? 'lane-tile__notice' : 'attention__notice'} role="status" data-testid="barrier-notice" data-waiting={notice ? 'true' : undefined}>
      {notice ?? ''}
    </p>
  )
}
