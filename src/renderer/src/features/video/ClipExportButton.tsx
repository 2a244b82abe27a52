import { useState } from 'react'
import { Button } from 'antd'
import type { CommandInput } from '@shared/contract'
import { describeError } from '../../api'
import { useT } from '../../i18n'
import { saveFile } from '../../save-file'
import { useGate, useSession } from '../../state/hooks'

/** For an inspector: the period's passages (Excel) and their stored clips named by lsh, as one ZIP. Admins only. */
export function ClipExportButton({ period, onError }: { period: () => CommandInput<'video.export'>; onError(message: string | null): void }) {
  const t = useT()
  const { call } = useSession()
  const admin = useGate((state) => state.session?.actor?.role === 'admin')
  const [busy, setBusy] = useState(false)
  if (!admin) return null
  const run = async () => {
    setBusy(true)
    try {
      saveFile(await call('video.export', period()))
      onError(null)
    } catch (failure) {
      onError(describeError(failure))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Button onClick={() => void run()} loading={busy} data-testid="video-export">
      {t.video.export}
    </Button>
  )
}
