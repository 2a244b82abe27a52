import { useT } from '../i18n'
import { useGate, useSession } from '../state/hooks'

/** Red while the city platform is down or refuses the login: the same status the header shows. */
export function PlatformBanner() {
  const t = useT()
  const link = useGate((state) => state.platformLink)
  const loggedIn = useGate((state) => state.session?.actor != null)
  if (!loggedIn || !link || (link.state !== 'down' && link.state !== 'token')) return null
  return (
    <div className="banner banner--alert banner--platform" role="alert" data-testid="platform-banner" data-state={link.state}>
      {link.state === 'down' ? t.platformLink.downBanner : t.platformLink.tokenBanner}
    </div>
  )
}

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
