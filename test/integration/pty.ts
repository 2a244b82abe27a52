import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'

export interface PtyPair {
  /** The booth's end (the adapter opens this). */
  booth: string
  /** The device's end (the simulator opens this). */
  device: string
  /** Kills socat: both pty ends disappear, as when a USB-RS485 adapter is unplugged. */
  stop(): Promise<void>
}

/**
 * A real serial line: `socat -d -d pty,raw,echo=0 pty,raw,echo=0`, the two pty paths read from socat's stderr
 * ("PTY is /dev/pts/N"). With `links`, socat also makes stable symlinks at those paths, so a new pair started
 * with the same links stands for the adapter plugged back in.
 */
export function startPtyPair(links?: { booth: string; device: string }): Promise<PtyPair> {
  const end = (link?: string) => `pty,raw,echo=0${link ? `,link=${link}` : ''}`
  const child: ChildProcess = spawn('socat', ['-d', '-d', end(links?.booth), end(links?.device)], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`socat exited with ${code}: ${stderr}`)))
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      const ptys = [...stderr.matchAll(/PTY is (\S+)/g)].map((match) => match[1]!)
      if (ptys.length < 2 || !/starting data transfer loop/.test(stderr)) return
      resolve({
        booth: links?.booth ?? ptys[0]!,
        device: links?.device ?? ptys[1]!,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done()
            child.removeAllListeners('exit')
            child.once('exit', () => done())
            child.kill('SIGTERM')
          })
      })
    })
  })
}

/** Stable link paths in a fresh temp folder, for a pair that will be unplugged and plugged back. */
export function ptyLinks(name: string): { booth: string; device: string } {
  const dir = mkdtempSync(join(tmpdir(), `gate-pty-${name}-`))
  return { booth: join(dir, 'booth'), device: join(dir, 'device') }
}
