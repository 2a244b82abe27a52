/** Shared figures for the benchmarks: percentiles of samples and one printed line per measurement. */

export interface Summary {
  count: number
  p50: number
  p99: number
  mean: number
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples')
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length }
}

/** Runs `once` `count` times after `warmup` unmeasured runs; returns each run's duration in microseconds. */
export async function sampleMicros(count: number, once: (i: number) => Promise<unknown> | unknown, warmup = Math.min(50, count)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await once(i)
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint()
    await once(i)
    samples.push(Number(process.hrtime.bigint() - start) / 1000)
  }
  return samples
}

/** `name  n=…  p50 … µs  p99 … µs` — and, given a baseline, the ratio of each percentile to the baseline's. */
export function report(name: string, summary: Summary, baseline?: Summary, unit = 'µs'): void {
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1))
  let line = `${name.padEnd(48)} n=${String(summary.count).padEnd(6)} p50 ${fmt(summary.p50)} ${unit}  p99 ${fmt(summary.p99)} ${unit}`
  if (baseline) line += `   (×${(summary.p50 / baseline.p50).toFixed(2)} p50, ×${(summary.p99 / baseline.p99).toFixed(2)} p99 of baseline)`
  console.log(line)
}

export function heading(title: string): void {
  console.log(`\n== ${title}`)
}
