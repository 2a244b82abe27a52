/**
 * The booth PC's own voice for lanes configured `"voice": "pc"`: main publishes `lane.voice`, and this speaks it
 * with the browser's speech synthesis in Mandarin (zh-CN). Pure apart from the synthesis it is given.
 */

/** The part of `window.speechSynthesis` used here. */
export interface Synthesis {
  getVoices(): readonly { lang: string; name: string }[]
  speak(utterance: SpeechSynthesisUtterance): void
}

/** A Mandarin voice: mainland Chinese first, then any Chinese; null leaves the choice to the system (lang still zh-CN). */
export function mandarinVoice<V extends { lang: string }>(voices: readonly V[]): V | null {
  const normal = (lang: string) => lang.replace('_', '-').toLowerCase()
  return voices.find((voice) => normal(voice.lang) === 'zh-cn') ?? voices.find((voice) => normal(voice.lang).startsWith('zh')) ?? null
}

/** Queues the sentence (lanes speaking at once are heard one after the other, not cut off). */
export function speak(synthesis: Synthesis, makeUtterance: (text: string) => SpeechSynthesisUtterance, text: string): SpeechSynthesisUtterance {
  const utterance = makeUtterance(text)
  utterance.lang = 'zh-CN'
  const voice = mandarinVoice(synthesis.getVoices())
  if (voice) utterance.voice = voice as SpeechSynthesisVoice
  synthesis.speak(utterance)
  return utterance
}
