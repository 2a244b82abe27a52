/**
 * The weight indicator's side of the Yaohua XK3190-A9 continuous output ("tF" mode) as its manual describes it:
 * STX, sign ('+'/'-'), six ASCII digits without the point, one ASCII digit for the decimal places, the XOR of
 * those eight bytes as two upper-case hex ASCII characters, ETX.
 */
export function weightFrame(kg: number, decimals = 0): Buffer {
  const digits = Math.round(Math.abs(kg) * 10 ** decimals)
  if (digits > 999_999) throw new RangeError(`${kg} does not fit six digits`)
  const text = (kg < 0 ? '-' : '+') + digits.toString().padStart(6, '0') + decimals.toString()
  let check = 0
  for (const char of text) check ^= char.charCodeAt(0)
  return Buffer.from(`\x02${text}${check.toString(16).toUpperCase().padStart(2, '0')}\x03`, 'latin1')
}
