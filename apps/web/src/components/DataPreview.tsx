import type { DataPreview as Preview } from '@/api/types'
import { EmptyState } from '@/components/ui/feedback'
import { displayValue } from '@/lib/format'

/** First rows of a table, columns in file order. */
export function DataPreview({ preview }: { preview: Preview }) {
  const columns = preview.columns.length ? preview.columns : Object.keys(preview.rows[0] ?? {})
  if (preview.rows.length === 0) return <EmptyState title="The file has no rows" />
  return (
    <div className="max-h-[28rem] overflow-auto rounded-md border border-slate-200">
      <table className="min-w-full text-xs">
        <caption className="sr-only">Preview of the first rows</caption>
        <thead className="sticky top-0 bg-slate-50 text-left text-slate-600">
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col" className={`px-3 py-1.5 font-semibold whitespace-nowrap ${typeof preview.rows[0]?.[c] === 'number' ? 'text-right' : ''}`}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 font-mono">
          {preview.rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => {
                const v = row[c]
                return (
                  <td key={c} className={typeof v === 'number' ? 'px-3 py-1 text-right tabular-nums' : 'px-3 py-1 whitespace-nowrap'}>
                    {v === null || v === undefined ? <span className="text-slate-300">null</span> : displayValue(v)}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
