import { ApiCallError } from '@shared/contract'

/** One line for the guard, whatever went wrong. */
export function describeError(error: unknown): string {
  if (error instanceof ApiCallError) return error.message
  if (error instanceof TypeError) return `无法连接主程序：${error.message}`
  return error instanceof Error ? error.message : String(error)
}

/** Field-level problems of a refused input, by field name. */
export function fieldIssues(error: unknown): Record<string, string> {
  if (!(error instanceof ApiCallError)) return {}
  return Object.fromEntries((error.error.issues ?? []).map(({ path, message }) => [path, message]))
}
