/**
 * A device driver's error (written for the log, in English: "no answer within 300 ms", "ECONNREFUSED") as the few
 * words a guard reads in an alarm or beside a device: what happened, in Chinese, with no id or code.
 */
export function deviceProblemText(error: string | null | undefined): string {
  if (!error) return ''
  if (!/[A-Za-z]/.test(error)) return error
  if (/no answer|timed? ?out|timeout|did not answer/i.test(error)) return '无应答'
  if (/refused|ECONNREFUSED/i.test(error)) return '连接被拒绝'
  if (/closed|reset|hang up|EPIPE|ECONNRESET/i.test(error)) return '连接中断'
  if (/crc|checksum|frame|exception|unexpected/i.test(error)) return '应答有误'
  if (/auth|401|unauthori[sz]ed|password/i.test(error)) return '登录失败'
  if (/not found|ENOENT|no such/i.test(error)) return '找不到设备'
  return '通信异常'
}
