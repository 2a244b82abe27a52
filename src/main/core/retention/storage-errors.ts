/**
 * What a failed write means for the people at the booth. Node reports the disk's trouble as errno codes (ENOSPC …),
 * SQLite (better-sqlite3) as its result codes (SQLITE_FULL …); both end up here as one Chinese sentence saying what
 * happened and what to do, or null when the error is not about the disk.
 */
export function storageProblem(error: unknown): string | null {
  const code = errorCode(error)
  if (code === null) return null
  if (FULL.has(code)) return '磁盘空间已满，无法保存；请管理员立即清理磁盘（旧备份、无关文件），空间恢复后自动继续'
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY')) return '数据目录变为只读（磁盘可能出现故障），无法保存；请管理员检查磁盘后重启程序'
  if (code === 'EIO' || code.startsWith('SQLITE_IOERR')) return '磁盘读写出错，无法保存；请管理员检查磁盘'
  return null
}

/** The disk (or the user's quota on it) has no room left. */
export function isStorageFull(error: unknown): boolean {
  const code = errorCode(error)
  return code !== null && FULL.has(code)
}

const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL'])

function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : null
}
