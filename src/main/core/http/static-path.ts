import { join, sep } from 'node:path'

/**
 * The file under `root` that a URL path names, or null when it names none a client may read: a `..` segment (also
 * percent-encoded, `%2e%2e`, or behind a backslash), a colon (a drive letter `C:`, an NTFS stream `a:b`), a NUL byte,
 * or an escape that does not decode. Leading and doubled slashes only lead into `root`. `/` is the app shell (index.html). Pure: whether the file exists is the caller's business. Used by the
 * headless host's static files and by the Electron shell's app:// protocol, so both refuse the same paths.
 */
export function resolveStaticPath(root: string, pathname: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const segments = decoded.split(/[/\\]+/).filter((segment) => segment !== '' && segment !== '.')
  if (segments.some((segment) => segment === '..' || segment.includes(':'))) return null
  const file = join(root, ...(segments.length === 0 ? ['index.html'] : segments))
  const base = root.endsWith(sep) ? root : root + sep
  return file.startsWith(base) ? file : null
}
