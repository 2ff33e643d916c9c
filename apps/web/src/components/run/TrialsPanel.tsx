/**
 * A tune or auto run's trials as they end: the best-so-far curve (the shared Chart) and the
 * trials table (model, trial number, state, score, best so far, the sampled parameters).
 * Live from `trial.finished` events (useRunStream), or from the stored result's `trials`.
 */
import { Chart } from '@/components/charts/Chart'
import { bestSoFarPlot, type TrialRow } from '@/components/run/trials'
import { Card } from '@/components/ui/Card'
import { cn } from '@/lib/cn'
import { exactNumber, formatNumber } from '@/lib/format'

const STATE_TONE: Record<string, string> = {
  complete: 'text-slate-700',
  pruned: 'text-slate-400',
  failed: 'text-red-700',
}

function paramsText(params: Record<string, unknown>): string {
  const parts = Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : String(v)}`)
  return parts.length ? parts.join(', ') : 'as given'
}

function Score({ value }: { value: number | null }) {
  if (value === null) return <td className="px-3 py-1 text-right text-slate-300">—</td>
  return <td className="px-3 py-1 text-right font-mono tabular-nums" title={exactNumber(value)}>{formatNumber(value)}</td>
}

export function TrialsTable({ trials }: { trials: TrialRow[] }) {
  return (
    <div className="max-h-96 overflow-auto rounded-md border border-slate-200">
      <table className="min-w-full text-sm" data-testid="trials-table">
        <caption className="sr-only">Trials</caption>
        <thead className="sticky top-0 bg-slate-50 text-xs text-slate-600">
          <tr>
            {['Model', 'Trial', 'State', 'Score', 'Best so far', 'Parameters'].map((h) => (
              <th key={h} scope="col" className="px-3 py-1.5 text-left font-semibold whitespace-nowrap">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {trials.map((t) => (
            <tr key={t.eventId} className={cn('border-t border-slate-100', STATE_TONE[t.state])} data-testid="trial-row">
              <td className="px-3 py-1 font-mono text-xs">{t.modelId}</td>
              <td className="px-3 py-1 text-right font-mono tabular-nums">{t.trial}</td>
              <td className="px-3 py-1" title={t.error ?? undefined}>{t.state}</td>
              <Score value={t.score} />
              <Score value={t.bestScore} />
              <td className="max-w-md truncate px-3 py-1 font-mono text-xs" title={paramsText(t.params)}>{paramsText(t.params)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function TrialsPanel({ trials, metric }: { trials: TrialRow[]; metric: string | null }) {
  if (trials.length === 0) return null
  const complete = trials.filter((t) => t.state === 'complete').length
  return (
    <Card title="Trials" id="trials" actions={<span className="text-xs text-slate-500" data-testid="trials-count">{trials.length} trials, {complete} complete</span>}>
      <div className="grid gap-4 xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <Chart plot={bestSoFarPlot(trials, metric)} hideTitle={false} />
        <TrialsTable trials={trials} />
      </div>
    </Card>
  )
}
