/**
 * Why a deployment answered what it did, per row: the base value and each input column's SHAP
 * contribution as a signed bar (plain HTML, no chart library), largest first.
 */
import type { Explanation } from '@/api/types'
import { formatNumber } from '@/lib/format'

const OUTPUT: Record<Explanation['output'], string> = {
  'log-odds': 'log-odds',
  probability: 'probability',
  value: 'predicted value',
}

/** What the base value and the contributions are measured in, in words. */
export function outputLabel(e: Explanation): string {
  const unit = OUTPUT[e.output]
  return e.label !== null && e.label !== undefined ? `${unit} of ${String(e.label)}` : unit
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${formatNumber(Math.abs(value))}`
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return 'missing'
  return typeof value === 'number' ? formatNumber(value) : String(value)
}

export function RowExplanation({ explanation, row }: { explanation: Explanation; row: number }) {
  const largest = Math.max(...explanation.contributions.map((c) => Math.abs(c.contribution)), 1e-12)
  const total = explanation.base_value + explanation.contributions.reduce((s, c) => s + c.contribution, 0) + explanation.rest
  return (
    <section aria-label={`Explanation of row ${row}`} className="space-y-1 rounded border border-slate-200 p-3">
      <p className="text-xs text-slate-600">
        Row {row}: base value <span className="font-mono" title={String(explanation.base_value)}>{formatNumber(explanation.base_value)}</span>
        {' → '}
        <span className="font-mono font-medium text-slate-900" title={String(total)}>{formatNumber(total)}</span> ({outputLabel(explanation)})
      </p>
      <ul className="space-y-0.5">
        {explanation.contributions.map((c) => {
          const width = `${(Math.abs(c.contribution) / largest) * 50}%`
          const up = c.contribution >= 0
          return (
            <li key={c.column} className="grid grid-cols-[minmax(0,12rem)_1fr_5rem] items-center gap-2 text-xs" data-testid="contribution">
              <span className="truncate" title={`${c.column} = ${shown(c.value)}`}>
                {c.column} <span className="text-slate-400">= {shown(c.value)}</span>
              </span>
              <span className="relative h-3" aria-hidden="true">
                <span className="absolute inset-y-0 left-1/2 w-px bg-slate-300" />
                <span
                  data-testid="contribution-bar"
                  className={`absolute inset-y-0 ${up ? 'left-1/2 bg-teal-600' : 'right-1/2 bg-rose-500'}`}
                  style={{ width }}
                />
              </span>
              <span className={`text-right font-mono ${up ? 'text-teal-800' : 'text-rose-700'}`} title={String(c.contribution)}>{signed(c.contribution)}</span>
            </li>
          )
        })}
      </ul>
      {Math.abs(explanation.rest) > 0 && (
        <p className="text-xs text-slate-500">Other columns together: <span className="font-mono">{signed(explanation.rest)}</span></p>
      )}
    </section>
  )
}

/** Every row's explanation, in request order. */
export function Explanations({ explanations }: { explanations: Explanation[] }) {
  return (
    <div className="space-y-2" data-testid="explanations">
      <p className="text-xs text-slate-500">
        Why: each column's SHAP contribution moves the model's output from the base value (its average answer) to this
        row's; the contributions add up exactly.
      </p>
      {explanations.map((e, i) => (
        <RowExplanation key={i} explanation={e} row={i + 1} />
      ))}
    </div>
  )
}
