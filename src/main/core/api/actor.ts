import type { Actor } from '@shared/contract'

/** Who a record names when nobody was logged in (a camera's read, an in-process call). */
export const NOBODY = '未登录'

/** The name a record keeps of whoever acted. */
export function actorName(actor: Actor | null | undefined): string {
  return actor?.name ?? NOBODY
}
