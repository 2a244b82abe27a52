import { z } from 'zod'

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** A base64 JPEG as cameras send it: an optional data: prefix and line breaks are accepted. */
export const base64Jpeg = z
  .string()
  .transform((text) => text.replace(/^data:image\/jpeg;base64,/, '').replace(/\s+/g, ''))
  .refine((text) => BASE64.test(text), 'image must be base64')
