/** Try a forecasting deployment: how many steps ahead (and, when the model reads exogenous
 * columns, their future values) in, the forecast chart and table out. */
import { useState, type FormEvent } from 'react'

import { useForecast } from '@/api/queries/deployments'
import type { CallerAuth, Deployment, ForecastPoint, InputColumn, PlotRead } from '@/api/types'
import { Chart } from '@/components/charts/Chart'
import { exampleRows, parseRows } from '@/components/pipeline/PredictTester'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'
import { Field, Input, Textarea } from '@/components/ui/form'
import { formatDuration } from '@/lib/format'

/** The widest interval level every point has (its bounds make the band), or null. */
export function widestLevel(points: ForecastPoint[]): string | null {
  const levels = Object.keys(points[0]?.lo ?? {}).sort((a, b) => Number(b) - Number(a))
  return levels.find((lv) => points.every((p) => p.lo[lv] != null && p.hi[lv] != null)) ?? null
}

/** The forecast as a plot: one line per series, with its widest interval as a band. */
export function forecastPlot(points: ForecastPoint[]): PlotRead {
  const level = widestLevel(points)
  const bySeries = new Map<string, ForecastPoint[]>()
  for (const p of points) bySeries.set(p.series ?? 'forecast', [...(bySeries.get(p.series ?? 'forecast') ?? []), p])
  const series = [...bySeries].map(([name, ps]) => ({
    name,
    mark: 'line' as const,
    x: ps.map((p) => p.time),
    y: ps.map((p) => p.value),
    ...(level ? { y_low: ps.map((p) => p.lo[level] ?? null), y_high: ps.map((p) => p.hi[level] ?? null) } : {}),
  }))
  return {
    id: 'forecast',
    title: 'Forecast',
    kind: 'xy',
    x: { label: 'time', scale: 'time' },
    y: { label: 'value', scale: 'linear' },
    series,
    notes: level ? [`band: ${level} % prediction interval`] : ['this model gives no prediction interval'],
  } as PlotRead
}

/** What the future rows hold: the pipeline's input schema lists the time column (datetime), the
 * series column (categorical) when the table has one, then the exogenous columns (numeric). */
export function futureHint(future: InputColumn[]): string {
  const read = future.filter((c) => c.kind === 'numeric').map((c) => c.name)
  const perSeries = future.some((c) => c.kind === 'categorical') ? ' and series' : ''
  return `The model reads ${read.join(', ')}: give one row per future step${perSeries}, with the columns ${future.map((c) => c.name).join(', ')}.`
}

/** `auth` is null while the caller still lacks a credential (an api-key deployment with no key typed).
 * `future` is the pipeline's input schema: the time column, the series column and the exogenous
 * columns when the model reads some (then their future values are asked for), else empty. */
export function ForecastTester({
  deployment,
  auth,
  horizon,
  future = [],
}: {
  deployment: Deployment
  auth: CallerAuth | null
  horizon?: number
  future?: InputColumn[]
}) {
  const [h, setH] = useState(String(horizon ?? 12))
  const [text, setText] = useState(() => exampleRows(future))
  const [parseError, setParseError] = useState<string | null>(null)
  const forecast = useForecast(deployment.id)
  const steps = Number(h)
  const invalid = !Number.isInteger(steps) || steps < 1 || steps > 10000
  const needsFuture = future.length > 0

  function submit(e: FormEvent) {
    e.preventDefault()
    if (invalid || !auth) return
    let exogenous: Array<Record<string, unknown>> | undefined
    if (needsFuture) {
      try {
        exogenous = parseRows(text)
      } catch (err) {
        setParseError((err as Error).message)
        return
      }
    }
    setParseError(null)
    forecast.mutate({ slug: deployment.slug, h: steps, auth, exogenous })
  }

  const points = forecast.data?.forecast ?? []
  const level = widestLevel(points)
  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="space-y-3" aria-label="Forecast tester">
        <div className="flex items-end gap-3">
          <Field label="Steps ahead (h)" error={invalid ? 'A whole number from 1 to 10000.' : undefined}>
            {(ids) => <Input {...ids} type="number" min={1} max={10000} step={1} value={h} onChange={(e) => setH(e.target.value)} />}
          </Field>
          <Button type="submit" busy={forecast.isPending} disabled={invalid || !auth}>Forecast</Button>
        </div>
        {needsFuture && (
          <Field
            label="Future exogenous values (JSON)"
            hint={futureHint(future)}
            error={parseError}
          >
            {(p) => <Textarea {...p} rows={6} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />}
          </Field>
        )}
      </form>
      <p className="text-xs text-slate-500">
        <code className="font-mono">POST /api/v1/deployments/{deployment.slug}/forecast</code> with{' '}
        <code className="font-mono">{needsFuture ? `{"h": ${h || 12}, "exogenous": [...]}` : `{"h": ${h || 12}}`}</code>
      </p>
      <ErrorNotice error={forecast.error} />
      {forecast.data && (
        <>
          <p className="text-sm text-slate-600">{points.length} steps in {formatDuration(forecast.data.latency_ms)}</p>
          <Chart plot={forecastPlot(points)} filename={`${deployment.slug}-forecast`} />
          <div className="max-h-72 overflow-auto">
            <table className="w-full text-left text-sm">
              <thead>
                <tr>
                  {points[0]?.series != null && <th className="px-2 py-1">series</th>}
                  <th className="px-2 py-1">time</th>
                  <th className="px-2 py-1">value</th>
                  {level && <th className="px-2 py-1">{level} % interval</th>}
                </tr>
              </thead>
              <tbody>
                {points.map((p, i) => (
                  <tr key={i} className="border-t border-slate-100">
                    {p.series != null && <td className="px-2 py-1">{p.series}</td>}
                    <td className="px-2 py-1 font-mono text-xs">{p.time.slice(0, 19)}</td>
                    <td className="px-2 py-1">{p.value?.toFixed(3) ?? '—'}</td>
                    {level && <td className="px-2 py-1">{p.lo[level]?.toFixed(3)} – {p.hi[level]?.toFixed(3)}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  )
}
