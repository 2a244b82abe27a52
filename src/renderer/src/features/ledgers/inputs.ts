/** What the ledger forms make of what the admin picks or types: files as base64, image types by their bytes, B7.7 codes. */
import { z } from 'zod'
import { commands, type CommandName } from '@shared/contract'
import { dictionaries, labelOf } from '@shared/spec'

/** A text field's maximum length as the command's own schema bounds it, so the form stops where main would refuse. */
export function lengthLimit(command: CommandName, field: string): number | undefined {
  const input = commands[command].input
  const schema = input instanceof z.ZodObject ? (input.shape as Record<string, unknown>)[field] : undefined
  return schema instanceof z.ZodString ? (schema.maxLength ?? undefined) : undefined
}

/** A picked file's bytes as plain base64 (no `data:` prefix), as the ledger commands take images and workbooks. */
export async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  let binary = ''
  // btoa takes a string of bytes; build it in slices so a 10 MB photo does not overflow the call stack.
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000))
  return btoa(binary)
}

/** The image's MIME type when its first bytes are a JPEG's or a PNG's, whatever the file is called; else null. */
export async function imageTypeOf(file: Blob): Promise<'image/jpeg' | 'image/png' | null> {
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer())
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg'
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  return png.every((byte, index) => head[index] === byte) ? 'image/png' : null
}

/** "code name" of a B7.7 vehicle type, as the search list shows it; '' for none. */
export const vehicleTypeText = (code: string): string => (code ? `${code} ${labelOf('vehicleType', code) ?? ''}`.trim() : '')

/** The B7.7 code typed or picked: the code itself (any case), "code name" from the list, or the exact name; '' for an empty field, null when nothing matches. */
export function vehicleTypeCode(text: string): string | null {
  const typed = text.trim()
  if (!typed) return ''
  const entries = dictionaries.vehicleType.entries
  const first = typed.split(/\s+/)[0]!.toUpperCase()
  const byCode = entries.find(({ code }) => code.toUpperCase() === first)
  if (byCode) return byCode.code
  return entries.find(({ code }) => labelOf('vehicleType', code) === typed)?.code ?? null
}
