/** One line per event on stderr, prefixed with time and source. Callers never pass secrets (password, token). */
export type Log = (line: string) => void

export function createLog(source: string): Log {
  return (line) => process.stderr.write(`${new Date().toISOString()} [${source}] ${line}\n`)
}
