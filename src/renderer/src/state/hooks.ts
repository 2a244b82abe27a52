import { createContext, useContext } from 'react'
import { useStore } from 'zustand'
import type { Session } from './session'
import type { GateState } from './store'

export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside <SessionContext>')
  return session
}

export function useGate<T>(select: (state: GateState) => T): T {
  return useStore(useSession().store, select)
}
