import type { PreflightProblem } from './preflight'

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
  /**
   * The platform refused this request, or the client would not send it. `fixable`: correcting the data and sending
   * again can help (952 format check, 948 file name …); otherwise retrying as it is cannot help ("give up": 403, 404).
   */
  | { kind: 'reject'; reason: string; reply: unknown; fixable: boolean; problems?: PreflightProblem[] }

/** Which reply shape an interface answers in (ERRATA E01/E03). */
export type ReplyStyle = 'code-status' | 'result-err-data'

type Action = { kind: 'ok' } | { kind: 'retry' } | { kind: 'reauth' } | { kind: 'reject'; fixable: boolean }

/** Every return code of spec 2.6 (表 A.4), and what the client does with it. */
export const RETURN_CODE_ACTIONS: Readonly<Record<string, Action>> = {
  '200': { kind: 'ok' },
  '201': { kind: 'ok' },
  /** 错误请求: the platform could not read this request; correct the data and send again. */
  '400': { kind: 'reject', fixable: true },
  '401': { kind: 'reauth' },
  /** 禁止: this account may not send this; a configuration matter for the city, not the data. */
  '403': { kind: 'reject', fixable: false },
  /** 未找到: wrong URL or interface for this city; resending the same record cannot help. */
  '404': { kind: 'reject', fixable: false },
  '500': { kind: 'retry' },
  '502': { kind: 'retry' },
  /** 请求文件不存在: the photo part was missing; attach it and send again. */
  '702': { kind: 'reject', fixable: true },
  /** 请求文件名格式不正确. */
  '948': { kind: 'reject', fixable: true },
  /** 文件解压失败: a damaged photo; replace or re-encode it. */
  '949': { kind: 'reject', fixable: true },
  /** 格式校验失败. */
  '952': { kind: 'reject', fixable: true }
}

export interface ClassifyOptions {
  /** The shape this interface is expected to answer in; undefined accepts either (ERRATA E03). */
  expectStyle?: ReplyStyle
}

export function classifyReply(httpStatus: number, body: unknown, options: ClassifyOptions = {}): CallOutcome {
  if (httpStatus === 401) return { kind: 'reauth', reason: 'HTTP 401' }
  if (httpStatus < 200 || httpStatus >= 300) {
    const action = RETURN_CODE_ACTIONS[String(httpStatus)]
    if (action?.kind === 'reject') return { kind: 'reject', reason: `HTTP ${httpStatus}${describeBody(body)}`, reply: body, fixable: action.fixable }
    return { kind: 'retry', reason: `HTTP ${httpStatus}${describeBody(body)}` }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { kind: 'retry', reason: `platform reply is not a JSON object${describeBody(body)}` }
  }
  const record = body as Record<string, unknown>
  const style = styleOf(record)
  if (style === null) return { kind: 'retry', reason: 'platform reply has neither code nor result' }
  if (options.expectStyle && style !== options.expectStyle) {
    return { kind: 'reject', reason: `platform replied in the ${style} style, this city is configured for ${options.expectStyle}`, reply: body, fixable: false }
  }
  const message = describe(record)
  if (style === 'result-err-data') return classifyResult(record, message)
  const code = String(record.code).trim()
  const action = RETURN_CODE_ACTIONS[code]
  if (!action) return unknownCode(code, message, body)
  if (action.kind === 'ok') return { kind: 'ok', reply: body }
  if (action.kind === 'reject') return { kind: 'reject', reason: message, reply: body, fixable: action.fixable }
  return { kind: action.kind, reason: message }
}

/** {result, err, data}: err may start with a 2.6 code ("401 token expired", "952 …"). */
function classifyResult(record: Record<string, unknown>, message: string): CallOutcome {
  if (record.result === 'success') return { kind: 'ok', reply: record }
  const err = typeof record.err === 'string' ? record.err.trim() : ''
  const action = RETURN_CODE_ACTIONS[/^\d{3}/.exec(err)?.[0] ?? '']
  if (action?.kind === 'reauth' || action?.kind === 'retry') return { kind: action.kind, reason: message }
  if (record.result === 'fail') return { kind: 'reject', reason: message, reply: record, fixable: action?.kind === 'reject' ? action.fixable : true }
  return { kind: 'retry', reason: message }
}

/** A code 2.6 does not list: server-side ranges retry, client-side ranges are refused, anything else retries. */
function unknownCode(code: string, message: string, body: unknown): CallOutcome {
  if (/^4\d\d$/.test(code)) return { kind: 'reject', reason: message, reply: body, fixable: false }
  return { kind: 'retry', reason: message }
}

function styleOf(record: Record<string, unknown>): ReplyStyle | null {
  if (typeof record.code === 'string' || typeof record.code === 'number') return 'code-status'
  if (typeof record.result === 'string') return 'result-err-data'
  return null
}

function describe(record: Record<string, unknown>): string {
  const parts = [record.code, record.status, record.result, record.err].filter((part) => typeof part === 'string' || typeof part === 'number')
  return `platform replied ${parts.join(' ')}`
}

/** A short, safe excerpt of a body that is not the expected JSON (an HTML error page, garbage). */
function describeBody(body: unknown): string {
  if (typeof body !== 'string' || body.length === 0) return ''
  const text = body.replace(/<[^>]*>/g, ' ').replace(/[^\x20-\x7e\u4e00-\u9fff]+/g, ' ').replace(/\s+/g, ' ').trim()
  return text ? `: ${text.slice(0, 80)}` : ''
}
