let context: AudioContext | null = null

/**
 * Two short falling beeps for a refused truck, made with WebAudio (no sound file to ship or load). Browsers allow
 * audio only after a user gesture; the login is one, so on the board it always plays.
 */
export function playRefusalTone(): void {
  try {
    context ??= new AudioContext()
    const start = context.currentTime
    for (const [offset, frequency] of [
      [0, 880],
      [0.25, 660]
    ] as const) {
      const oscillator = context.createOscillator()
      const gain = context.createGain()
      oscillator.type = 'square'
      oscillator.frequency.value = frequency
      gain.gain.setValueAtTime(0.15, start + offset)
      gain.gain.exponentialRampToValueAtTime(0.001, start + offset + 0.2)
      oscillator.connect(gain).connect(context.destination)
      oscillator.start(start + offset)
      oscillator.stop(start + offset + 0.2)
    }
  } catch (error) {
    console.warn('refusal tone could not play', error)
  }
}

/**
 * A forced pass (闯岗): a rising two-tone siren, three times, louder and longer than the refusal beeps so the guard
 * tells the two apart without looking.
 */
export function playForcedPassAlarm(): void {
  try {
    context ??= new AudioContext()
    const start = context.currentTime
    for (let repeat = 0; repeat < 3; repeat++) {
      for (const [offset, frequency] of [
        [0, 660],
        [0.3, 990]
      ] as const) {
        const at = start + repeat * 0.6 + offset
        const oscillator = context.createOscillator()
        const gain = context.createGain()
        oscillator.type = 'sawtooth'
        oscillator.frequency.value = frequency
        gain.gain.setValueAtTime(0.2, at)
        gain.gain.exponentialRampToValueAtTime(0.001, at + 0.28)
        oscillator.connect(gain).connect(context.destination)
        oscillator.start(at)
        oscillator.stop(at + 0.28)
      }
    }
  } catch (error) {
    console.warn('forced-pass alarm could not play', error)
  }
}
