import { lazy } from 'react'
import type { Feature } from '../feature'

/** 台账: guards read them and enter goods, admins edit (the buttons follow the role); their own chunk. */
export const ledgers: Feature = {
  id: 'ledgers',
  title: (t) => t.ledgers.title,
  role: 'guard',
  workspace: 'admin',
  Screen: lazy(() => import('./LedgersPanel'))
}
