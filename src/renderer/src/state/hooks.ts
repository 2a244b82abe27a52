import { createContext, useContext, useEffect, type DependencyList, type RefObject } from 'react'
import { useStore } from 'zustand'
import { describeError } from '../api'
import type { Session } from './session'
import type { FocusTarget, GateState } from './store'

export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside <SessionContext>')
  return session
}

export function useGate<T>(select: (state: GateState) => T): T {
  return useStore(useSession().store, select)
}

/**
 * Asks main with `load` once `deps` have been still for 150 ms (typing in a filter or a burst of events asks once),
 * and hands over only the answer to the latest `deps`: `onLoaded` with the result, or `onError` with the failure's
 * message. A null `load` asks nothing.
 */
export function useDebouncedLoad<T>(load: (() => Promise<T>) | null, onLoaded: (result: T) => void, onError: (message: string) => void, deps: DependencyList): void {
  useEffect(() => {
    if (!load) return
    let cancelled = false
    const timer = setTimeout(() => {
      load().then(
        (result) => !cancelled && onLoaded(result),
        (failure: unknown) => !cancelled && onError(describeError(failure))
      )
    }, 150)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
    // The callers' closures change on every render; `deps` says when a new answer is wanted.
  }, deps)
}

/** Focuses `element` when a shortcut asks for `target` (store.requestFocus), also when the element mounts to answer it. */
export function useFocusRequest(target: FocusTarget, element: RefObject<HTMLElement | null>): void {
  const { store } = useSession()
  const requested = useGate((state) => state.focusRequest === target)
  useEffect(() => {
    if (!requested) return
    element.current?.focus()
    store.getState().focusDone()
  }, [requested, store, element])
}
