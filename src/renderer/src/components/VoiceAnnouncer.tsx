import { useEffect } from 'react'
import { useSession } from '../state/hooks'
import { speak } from '../voice/speech'

/** Speaks each `lane.voice` (lanes whose voice is the booth PC's). Renders nothing; without speech synthesis it stays silent. */
export function VoiceAnnouncer() {
  const { subscribe } = useSession()
  useEffect(() => {
    if (typeof window === 'undefined' || !('speechSynthesis' in window)) return
    return subscribe('lane.voice', ({ text }) => void speak(window.speechSynthesis, (sentence) => new SpeechSynthesisUtterance(sentence), text))
  }, [subscribe])
  return null
}
