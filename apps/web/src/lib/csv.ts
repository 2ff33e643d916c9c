/** Reading CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) without a library. */

export interface CsvSummary {
  header: string[]
  /** The first data rows, up to the preview limit. */
  preview: string[][]
  /** Every data row (the header not counted; blank lines skipped). */
  rows: number
}

/** The header, the first `limit` data rows and the number of data rows of a CSV text. */
export function summarizeCsv(text: string, limit = 5): CsvSummary {
  const out: CsvSummary = { header: [], preview: [], rows: 0 }
  let field = ''
  let record: string[] = []
  let quoted = false
  let seenHeader = false
  const endRecord = () => {
    record.push(field)
    field = ''
    const blank = record.length === 1 && record[0] === ''
    if (!blank) {
      if (!seenHeader) {
        out.header = record
        seenHeader = true
      } else {
        out.rows += 1
        if (out.preview.length < limit) out.preview.push(record)
      }
    }
    record = []
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch !== '"') field += ch
      else if (text[i + 1] === '"') {
        field += '"'
        i++
      } else quoted = false
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      record.push(field)
      field = ''
    } else if (ch === '\n') endRecord()
    else if (ch !== '\r') field += ch
  }
  if (field !== '' || record.length > 0) endRecord()
  return out
}
