import { execFileSync } from 'node:child_process'
import { tempDir } from './support'

export interface Tmpfs {
  dir: string
  /** Remounts it read-only (as the kernel does with a failing disk) or read-write again. */
  remount(mode: 'ro' | 'rw'): void
  unmount(): void
}

/**
 * A real, small file system (tmpfs) of `size` (e.g. '8m'): writes to it really fail with ENOSPC when it is full and
 * EROFS when it is read-only. Needs root (CAP_SYS_ADMIN); without it the test fails saying so rather than faking it.
 */
export function mountTmpfs(size: string): Tmpfs {
  const dir = tempDir('tmpfs')
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' })
  } catch (error) {
    throw new Error(`mounting a tmpfs needs root (mount -t tmpfs): ${(error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error)}`)
  }
  return {
    dir,
    remount: (mode) => execFileSync('mount', ['-o', `remount,${mode}`, dir], { stdio: 'pipe' }),
    unmount: () => execFileSync('umount', ['--lazy', dir], { stdio: 'pipe' })
  }
}
