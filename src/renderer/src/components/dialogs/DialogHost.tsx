import { ConfigProvider } from 'antd'
import enUS from 'antd/locale/en_US'
import zhCN from 'antd/locale/zh_CN'
import { lazy, Suspense, useEffect, useRef } from 'react'
import { useGate, useSession } from '../../state/hooks'
import { focusLaneTile } from '../../shortcuts'
import { BarrierDialog, CorrectPlateDialog, RefuseDialog, ReleaseDialog, UnplatedDialog } from './LaneDialogs'
import { AckAlarmDialog, HandoverDialog, PhotoViewer } from './OtherDialogs'

// The ledger forms are an admin's work, not the guard's every minute: their code arrives when one first opens.
const LedgerDialogs = lazy(() => import('../../features/ledgers/LedgerDialogs'))

/**
 * Shows the one open dialog, and gives focus back when it closes: to the lane's tile for a lane action (so F1–F4
 * work again at once), else to whatever had it before.
 */
export default function DialogHost() {
  const locale = useGate((state) => state.locale)
  return (
    <ConfigProvider locale={locale === 'zh' ? zhCN : enUS}>
      <OpenDialog />
    </ConfigProvider>
  )
}

function OpenDialog() {
  const dialog = useGate((state) => state.dialog)
  const { store } = useSession()
  const returnTo = useRef<{ element: Element | null; laneId: string | null }>({ element: null, laneId: null })

  useEffect(() => {
    if (dialog) {
      returnTo.current = { element: document.activeElement, laneId: 'laneId' in dialog ? dialog.laneId : null }
      return
    }
    const { element, laneId } = returnTo.current
    if (laneId) focusLaneTile(laneId)
    else if (element instanceof HTMLElement && element.isConnected) element.focus()
  }, [dialog])

  const close = () => store.getState().closeDialog()
  if (!dialog) return null
  switch (dialog.kind) {
    case 'release':
      return <ReleaseDialog laneId={dialog.laneId} passageId={dialog.passageId} plate={dialog.plate} onClose={close} />
    case 'refuse':
      return <RefuseDialog laneId={dialog.laneId} passageId={dialog.passageId} plate={dialog.plate} onClose={close} />
    case 'correct':
      return <CorrectPlateDialog passageId={dialog.passageId} onClose={close} />
    case 'unplated':
      return <UnplatedDialog laneId={dialog.laneId} onClose={close} />
    case 'barrier':
      return <BarrierDialog laneId={dialog.laneId} action={dialog.action} onClose={close} />
    case 'photos':
      return <PhotoViewer passage={dialog.passage} onClose={close} />
    case 'ack':
      return <AckAlarmDialog alarm={dialog.alarm} onClose={close} />
    case 'handover':
      return <HandoverDialog onClose={close} />
    case 'ledger':
      return (
        <Suspense fallback={null}>
          <LedgerDialogs dialog={dialog.ledger} onClose={close} />
        </Suspense>
      )
  }
}
