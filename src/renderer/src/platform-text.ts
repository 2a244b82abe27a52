/**
 * Main's platform problems (the sync status, dead letters, a passage's upload error) are written for the log, in
 * English with interface names and return codes. The guard reads them as Chinese sentences: this is the one place
 * that turns them into those.
 */

/** Spec 2.6 return codes (表 A.4), as the guard reads them. */
const REPLY_TEXT: Readonly<Record<string, string>> = {
  '400': '平台拒收：请求内容有误',
  '401': '平台登录失效，正在重新登录',
  '403': '平台拒收：本账号无权上报此类数据',
  '404': '平台拒收：接口地址不存在（请核对平台地址）',
  '500': '平台服务异常，稍后自动重试',
  '502': '平台服务异常，稍后自动重试',
  '702': '平台拒收：缺少照片文件',
  '948': '平台拒收：文件名格式不正确',
  '949': '平台拒收：照片文件损坏',
  '952': '平台拒收：格式校验失败'
}

const NETWORK_TEXT: readonly [RegExp, string][] = [
  [/did not answer|no verdict within|timeout/i, '平台未在时限内应答，稍后自动重试'],
  [/refused the connection/i, '平台拒绝连接（服务未启动或地址有误）'],
  [/closed the connection|socket hang up/i, '平台断开了连接，稍后自动重试'],
  [/network error|request failed/i, '网络故障，无法连接平台'],
  [/login failed|access_token/i, '平台登录失败，请检查平台账号'],
  [/HTTP 5\d\d/i, '平台服务异常，稍后自动重试'],
  [/HTTP 4\d\d/i, '平台拒收了请求'],
  [/not a JSON object|neither code nor result|style/i, '平台应答无法识别'],
  [/not a put_data interface/i, '不支持的上报类型']
]

const LATIN = /[A-Za-z]/

/** A platform problem as a Chinese sentence, with no interface name, key, code or English left in it. */
export function platformProblemText(reason: string): string {
  // The worker prefixes "<interface> <key>: ".
  const text = reason.replace(/^[A-Za-z]+ \S+: /, '').trim()
  const replied = /platform replied\s+(\d{3})?\s*(.*)$/.exec(text)
  if (replied) {
    const code = replied[1]
    if (code && REPLY_TEXT[code]) return REPLY_TEXT[code]
    const said = (replied[2] ?? '').replace(/\b(fail|success|\d{3})\b/g, '').trim()
    return said && !LATIN.test(said) ? `平台拒收：${said}` : '平台拒收了这条数据'
  }
  for (const [pattern, sentence] of NETWORK_TEXT) if (pattern.test(text)) return sentence
  if (!LATIN.test(text)) return text
  // Chinese with a Latin remainder (field names): keep the Chinese part.
  const chinese = text.replace(/[A-Za-z_][\w.]*\s*[:=]?\s*/g, '').replace(/\s+/g, ' ').trim()
  return chinese && /[\u4e00-\u9fff]/.test(chinese) ? chinese : '上传失败，原因已记入日志'
}
