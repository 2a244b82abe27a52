export { resolveLocalPlatePrefixes } from './local-plates'
export { browserPdfPrinter, defaultBrowserPath, type PdfPrinter } from './pdf'
export { passagesAsRollup, Statistics } from './statistics'
export { ReportService } from './service'
