import { z } from 'zod'

// zod compiles its parsers with `new Function` unless told not to; the page's CSP forbids eval, and even the probe
// zod makes for it is reported as a violation. Must run before any schema is built, hence its own first import.
z.config({ jitless: true })
