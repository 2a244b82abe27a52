import './zod-jitless'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createGateClient } from './api'
import { App } from './App'
import { SessionContext } from './state/hooks'
import { startSession } from './state/session'
import { createGateStore } from './state/store'
import './styles.css'

const session = startSession(createGateClient(), createGateStore())

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionContext value={session}>
      <App />
    </SessionContext>
  </StrictMode>
)
