/** The model view's tables: CV and holdout scores side by side, and the preprocessing steps. */
import type { ModelRead } from '@/api/types'
import { Table, Td, Th } from '@/components/ui/Table'
import { displayValue, exactNumber, formatNumber } from '@/lib/format'

function Score({ value }: { value: number | null | undefined }) {
  if (value === null || value === undefined) return <Td className="text-right text-slate-300">—</Td>
  return (
    <Td className="text-right font-mono tabular-nums" title={exactNumber(value)}>
      {formatNumber(value)}
    </Td>
  )
}

/** One row per metric: its mean over the CV folds and its value on the holdout split. */
export function ModelScores({ cv, holdout }: Pick<ModelRead, 'cv' | 'holdout'>) {
  const metrics = [...new Set([...Object.keys(cv ?? {}), ...Object.keys(holdout ?? {})])]
  if (metrics.length === 0) return <p className="text-sm text-slate-500">No scores recorded.</p>
  return (
    <Table caption="Scores" head={<><Th>Metric</Th><Th className="text-right">CV (mean)</Th><Th className="text-right">Holdout</Th></>}>
      {metrics.map((m) => (
        <tr key={m}>
          <Td className="font-medium">{m}</Td>
          <Score value={cv?.[m]} />
          <Score value={holdout?.[m]} />
        </tr>
      ))}
    </Table>
  )
}

const SHOWN_ITEMS = 8

/** A detail value in a line: lists shortened to their first items (all of them on hover). */
function detailText(value: unknown): string {
  if (Array.isArray(value)) {
    const items = value.map((v) => (typeof v === 'string' ? v : displayValue(v)))
    const more = items.length > SHOWN_ITEMS ? ` … (+${items.length - SHOWN_ITEMS})` : ''
    return items.length === 0 ? 'none' : items.slice(0, SHOWN_ITEMS).join(', ') + more
  }
  return displayValue(value)
}

function fullText(value: unknown): string {
  return Array.isArray(value) ? value.map((v) => String(v)).join(', ') : displayValue(value)
}

const TITLE_KEYS = ['name', 'step', 'kind', 'title']

/** A step as a title and its details: any object (the title from name/step/kind), or a string. */
export function stepParts(step: unknown, i: number): { title: string; details: Array<[string, unknown]> } {
  if (step === null || typeof step !== 'object') return { title: displayValue(step), details: [] }
  const record = step as Record<string, unknown>
  const key = TITLE_KEYS.find((k) => typeof record[k] === 'string')
  const title = key ? String(record[key]) : `Step ${i + 1}`
  const details: Array<[string, unknown]> = []
  for (const [k, v] of Object.entries(record)) {
    if (k === key) continue
    // `details: {…}` is spread into the list; an empty one says nothing
    if (k === 'details' && v !== null && typeof v === 'object' && !Array.isArray(v)) details.push(...Object.entries(v))
    else details.push([k, v])
  }
  return { title, details }
}

/** The preprocessing steps in the order they run, with their details. */
export function PreprocessingSteps({ steps }: { steps: unknown[] }) {
  if (steps.length === 0) return <p className="text-sm text-slate-500">No preprocessing: the model sees the columns as they are.</p>
  return (
    <ol aria-label="Preprocessing steps" className="space-y-2 text-sm">
      {steps.map((step, i) => {
        const { title, details } = stepParts(step, i)
        return (
          <li key={`${title}-${i}`} className="rounded-md border border-slate-200 px-3 py-2">
            <span className="mr-2 font-mono text-xs text-slate-400">{i + 1}</span>
            <span className="font-medium text-slate-800">{title}</span>
            {details.length > 0 && (
              <dl className="mt-1 grid grid-cols-[minmax(6rem,10rem)_1fr] gap-x-3 gap-y-0.5 text-xs">
                {details.map(([k, v]) => (
                  <div key={k} className="contents">
                    <dt className="text-slate-500">{k}</dt>
                    <dd className="min-w-0 truncate font-mono text-slate-700" title={fullText(v)}>{detailText(v)}</dd>
                  </div>
                ))}
              </dl>
            )}
          </li>
        )
      })}
    </ol>
  )
}
