/**
 * Runs side by side: the metrics their leaderboards share and one metric as a chart (a PlotRead,
 * drawn by the generic Chart) with one bar group per model and one colour per run.
 */
import type { PlotRead, PlotSeries, Run } from '@/api/types'
import { shortId } from '@/lib/format'

type Row = Record<string, unknown>

const NOT_METRICS = new Set(['model_id', 'Fold'])

/** How a run is named in the compare view: its short id and plan. */
export function runLabel(run: Run): string {
  return `Run ${shortId(run.id)} (${run.plan})`
}

/** A row's model as people read it: its Model column, else its id. */
export function modelName(row: Row): string | null {
  const name = row.Model ?? row.model_id
  return typeof name === 'string' && name ? name : null
}

/** Numeric columns of the runs' leaderboards, in the first leaderboard's order (the engine's). */
export function sharedMetrics(runs: Run[]): string[] {
  const out: string[] = []
  for (const run of runs) {
    const board = run.leaderboard
    for (const col of board?.columns ?? []) {
      if (NOT_METRICS.has(col) || out.includes(col)) continue
      if ((board?.rows ?? []).some((r) => typeof r[col] === 'number')) out.push(col)
    }
  }
  return out
}

/** The metric to show first: the runs' sort metric (their best score's), else the first shared one. */
export function defaultMetric(runs: Run[], metrics: string[]): string | undefined {
  const sort = runs.map((r) => r.best?.metric).find((m): m is string => !!m && metrics.includes(m))
  return sort ?? metrics[0]
}

/** The chart: a horizontal bar group per model (the engine's order), one bar per run. */
export function compareChart(runs: Run[], metric: string): PlotRead {
  const series: PlotSeries[] = runs.map((run) => {
    const rows = (run.leaderboard?.rows ?? []).filter((r) => typeof r[metric] === 'number' && modelName(r))
    return { name: runLabel(run), mark: 'barh', x: rows.map((r) => r[metric]), y: rows.map((r) => modelName(r)) }
  })
  return {
    id: `compare-${metric}`.replace(/[^\w.-]+/g, '_'),
    title: `${metric} by model`,
    kind: 'xy',
    x: { label: metric },
    y: { label: 'model', scale: 'band' },
    series: series.filter((s) => s.x.length > 0),
    notes: ['cross-validation scores from each run’s leaderboard; a model missing from a run has no bar'],
  }
}

/** `?runs=a,b,c` ↔ the list of run ids. */
export function parseRunIds(param: string | null): string[] {
  return [...new Set((param ?? '').split(',').map((s) => s.trim()).filter(Boolean))]
}
