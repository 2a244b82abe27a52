import type { DailyStatistics, ReportFile } from '@shared/contract'
import { BY_LANE, type Breakdown } from './labels'
import type { PdfPrinter } from './pdf'
import type { Statistics } from './statistics'

export interface ReportQuery {
  from: string
  to: string
  laneId?: string
}

/** Statistics and their exports for the API: the query, then an .xlsx or a PDF as bytes. */
export class ReportService {
  constructor(
    private readonly statistics: Statistics,
    private readonly enterpriseName: string,
    private readonly printPdf: PdfPrinter,
    /** A lane as the reader knows it (its configured name), never its id. */
    private readonly laneName: (laneId: string) => string,
    /** The second table's unit: the booth's lanes, the plant's gates. */
    private readonly breakdown: Breakdown = BY_LANE
  ) {}

  /** The day counts; the PDF printer starts warming meanwhile, as a PDF export usually follows a look at them. */
  daily(query: ReportQuery): Promise<DailyStatistics> {
    this.printPdf.warm?.()
    return this.statistics.daily(query)
  }

  /** Ends what the printer keeps running (its browser). */
  close(): void {
    this.printPdf.close?.()
  }

  async export(query: ReportQuery, format: 'xlsx' | 'pdf'): Promise<ReportFile> {
    const stats = await this.statistics.daily(query)
    const title = `${this.enterpriseName} 进出厂统计 ${query.from} 至 ${query.to}`
    const baseName = `统计_${query.from}_${query.to}${query.laneId ? `_${this.laneName(query.laneId)}` : ''}`
    if (format === 'xlsx') {
      // exceljs (~0.7 s to load) and echarts (~0.4 s) come with the first report of their kind, not at the booth's start.
      const { statisticsWorkbook } = await import('./export-excel')
      const bytes = await statisticsWorkbook(stats, title, this.laneName, this.breakdown)
      return { fileName: `${baseName}.xlsx`, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', base64: bytes.toString('base64') }
    }
    const { reportHtml } = await import('./report-html')
    const bytes = await this.printPdf(reportHtml(stats, title, this.laneName, this.breakdown))
    return { fileName: `${baseName}.pdf`, mimeType: 'application/pdf', base64: bytes.toString('base64') }
  }
}
