/**
 * What a city-platform reply means for the caller (spec 2.5/2.6, ERRATA E03): a call succeeded only on HTTP 2xx AND
 * (code "200"/"201" OR result "success"). Everything else is classified so the caller knows what to do next.
 */
export type CallOutcome =
  | { kind: 'ok'; reply: unknown }
  /** Transient: network, timeout, 5xx, code 500/502, unreadable body. Try again later. */
  | { kind: 'retry'; reason: string }
  /** Token missing, expired or refused (401). Log in again, then retry. */
  | { kind: 'reauth'; reason: string }
  /** The platform refused this data (952 format check, 400, 702/948/949 file problems). Retrying cannot help. */
  | { kind: 'reject'; reason: string; reply: unknown; fixable: boolean }

const REJECT_CODES = new Set(['400', '702', '948', '949', '952'])
/** File problems (702/948/949) cannot be corrected by editing fields; a format refusal (952, 400) can. */
const UNFIXABLE_CODES = new Set(['702', '948', '949'])

export function classifyReply(httpStatus: number, body: unknown): CallOutcome {
  if (httpStatus === 401) return { kind: 'reauth', reason: 'HTTP 401' }
  if (httpStatus < 200 || httpStatus >= 300) return { kind: 'retry', reason: `HTTP ${httpStatus}` }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { kind: 'retry', reason: 'platform reply is not a JSON object' }
  }
  const record = body as Record<string, unknown>
  const code = typeof record.code === 'string' || typeof record.code === 'number' ? String(record.code).trim() : null
  const message = describe(record)
  if (code === '200' || code === '201' || record.result === 'success') return { kind: 'ok', reply: body }
  if (code === '401' || (typeof record.err === 'string' && record.err.trim().startsWith('401'))) {
    return { kind: 'reauth', reason: message }
  }
  if (code !== null && REJECT_CODES.has(code)) return { kind: 'reject', reason: message, reply: body, fixable: !UNFIXABLE_CODES.has(code) }
  if (record.result === 'fail') return { kind: 'reject', reason: message, reply: body, fixable: true }
  return { kind: 'retry', reason: message }
}

function describe(record: Record<string, unknown>): string {
  const parts = [record.code, record.status, record.result, record.err].filter((part) => typeof part === 'string' || typeof part === 'number')
  return parts.length > 0 ? `platform replied ${parts.join(' ')}` : 'platform reply has neither code nor result'
}
