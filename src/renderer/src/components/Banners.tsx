import { useGate, useSession } from '../state/hooks'

export function ConnectionBanner() {
  const connection = useGate((state) => state.connection)
  if (connection !== 'disconnected') return null
  return (
    <div className="banner banner--alert" role="alert" data-testid="connection-banner">
      与主程序连接中断，正在重新连接…（画面内容可能不是最新）
    </div>
  )
}

export function LoadErrorBanner() {
  const loadError = useGate((state) => state.loadError)
  const { reload } = useSession()
  if (!loadError) return null
  return (
    <div className="banner banner--alert" role="alert">
      读取主程序数据失败：{loadError}
      <button type="button" onClick={() => void reload()}>
        重试
      </button>
    </div>
  )
}
