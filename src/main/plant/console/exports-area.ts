import { plantExportCommands } from '@shared/contract'
import { ApiFailure } from '../../core/api/errors'
import { browserPdfPrinter, BY_GATE, defaultBrowserPath, ReportService, Statistics, type CountQuery, type PdfPrinter } from '../../core/reports'
import { defineArea, type RootContext } from '../../core/root/area'
import { isoOf } from '../../core/time'
import { plantEnterprise, type PlantConfig } from '../config'

/** A gate as the workspace names it (the renderer's 门岗 label, `plant.gateN`). */
export const gateName = (gateCode: string) => `${gateCode} 号门`

/**
 * What the plant's workspace opens and downloads (docs/plant.md): a journal passage's photos from the plant's photo
 * store (checked against the booth's SHA-256; through the typed API with its session, never a file URL), and the
 * statistics of a gate or of the plant as the booth's Excel and PDF reports, broken down by gate.
 */
export function plantExportsArea({ printPdf }: { printPdf?: PdfPrinter } = {}) {
  return defineArea({
    name: 'plant-exports',
    needs: ['plantStore'],
    provides: [],
    commands: plantExportCommands,
    create({ plantStore: store }, { config, log }: RootContext<PlantConfig>) {
      const printer = printPdf ?? browserPdfPrinter(config.reports?.pdfBrowserPath ?? defaultBrowserPath())
      return {
        provides: {},
        handlers: {
          'plant.photos': async ({ passageId }) => {
            const { photos, problems } = await store.repos.photos.ofPassage(passageId)
            if (problems.length > 0) log(`plant photos of passage ${passageId}: ${problems.join('; ')}`)
            if (photos.length === 0 && problems.length > 0) throw new ApiFailure('unavailable', `照片无法读取：${problems.join('；')}`)
            return photos.map((photo) => ({ zpbh: photo.zpbh, zplx: photo.zplx, takenAt: isoOf(photo.takenAt), jpegBase64: photo.jpeg.toString('base64') }))
          },
          'plant.statisticsExport': async ({ format, gateCode, ...range }) => {
            // The gates: every enrolled one and every one with passages in the range (a gate imported from a
            // standalone booth has no enrolment), in order; they count in 运输道闸总数.
            const byGate = (query: CountQuery) => store.repos.statistics.countRows(query, 'gate')
            const [booths, counted] = await Promise.all([store.console.booths(), byGate({ ...range, localPlatePrefixes: [] })])
            const gates = new Set([...booths.map((booth) => booth.gateCode), ...counted.map((row) => row.laneId), ...(gateCode ? [gateCode] : [])])
            const lanes = [...gates].filter((gate) => !gateCode || gate === gateCode).sort().map((gate) => ({ id: gate, gateCode: gate }))
            const statistics = new Statistics({ countRows: byGate }, { localPlatePrefixes: [], lanes })
            const reports = new ReportService(statistics, plantEnterprise(config).name, printer, gateName, BY_GATE)
            return reports.export({ ...range, ...(gateCode ? { laneId: gateCode } : {}) }, format)
          }
        },
        stop: () => printer.close?.()
      }
    }
  })
}
