import './zod-jitless'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import { StrictMode, useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import { createGateClient } from './api'
import { App } from './App'
import { SessionContext, useGate } from './state/hooks'
import { startSession } from './state/session'
import { createGateStore } from './state/store'
import './styles.css'

dayjs.locale('zh-cn')
const session = startSession(createGateClient(), createGateStore('zh'))

function Localized() {
  const locale = useGate((state) => state.locale)
  useLocaleEffects(locale)
  return <App />
}

function useLocaleEffects(locale: 'zh' | 'en') {
  useEffect(() => {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en'
    dayjs.locale(locale === 'zh' ? 'zh-cn' : 'en')
  }, [locale])
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionContext value={session}>
      <Localized />
    </SessionContext>
  </StrictMode>
)
