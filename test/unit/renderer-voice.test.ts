import { describe, expect, it } from 'vitest'
import { mandarinVoice, speak, type Synthesis } from '../../src/renderer/src/voice/speech'

/** A stand-in for the browser's speech synthesis: it records what it was asked to say. */
function synthesis(voices: { lang: string; name: string }[]): Synthesis & { spoken: SpeechSynthesisUtterance[] } {
  const spoken: SpeechSynthesisUtterance[] = []
  return { spoken, getVoices: () => voices, speak: (utterance) => spoken.push(utterance) }
}
const utterance = (text: string) => ({ text, lang: '', voice: null }) as unknown as SpeechSynthesisUtterance

describe('the booth PC speaking a decision', () => {
  it('picks a mainland Mandarin voice first, then any Chinese one, else none', () => {
    const en = { lang: 'en-US', name: 'English' }
    const tw = { lang: 'zh-TW', name: 'Mei-Jia' }
    const cn = { lang: 'zh_CN', name: 'Ting-Ting' }
    expect(mandarinVoice([en, tw, cn])).toBe(cn)
    expect(mandarinVoice([en, tw])).toBe(tw)
    expect(mandarinVoice([en])).toBeNull()
  })

  it('queues the sentence in zh-CN with the Mandarin voice, and still in zh-CN when the system has none', () => {
    const cn = { lang: 'zh-CN', name: 'Ting-Ting' }
    const withVoice = synthesis([{ lang: 'en-US', name: 'English' }, cn])
    speak(withVoice, utterance, '豫A12345，禁止通行')
    speak(withVoice, utterance, '豫B67890，请通行')
    expect(withVoice.spoken.map((u) => [u.text, u.lang, u.voice])).toEqual([
      ['豫A12345，禁止通行', 'zh-CN', cn],
      ['豫B67890，请通行', 'zh-CN', cn]
    ])
    const bare = synthesis([])
    speak(bare, utterance, '欢迎光临')
    expect(bare.spoken.map((u) => [u.text, u.lang, u.voice])).toEqual([['欢迎光临', 'zh-CN', null]])
  })
})
