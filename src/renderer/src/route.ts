import { useSyncExternalStore } from 'react'

/** The booth's two pages: the guard's lane board (the main screen) and the admin workspace at #/admin. */
export type Page = 'board' | 'admin'

const ADMIN_HASH = '#/admin'

function subscribe(changed: () => void): () => void {
  window.addEventListener('hashchange', changed)
  return () => window.removeEventListener('hashchange', changed)
}

const pageOfHash = (): Page => (window.location.hash === ADMIN_HASH ? 'admin' : 'board')

/** The page the address asks for (a guard is shown the board whatever it asks: the caller checks the role). */
export function usePage(): Page {
  return useSyncExternalStore(subscribe, pageOfHash)
}

export function goTo(page: Page): void {
  window.location.hash = page === 'admin' ? ADMIN_HASH : '#/'
}
