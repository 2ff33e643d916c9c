/**
 * The data side of a chart, free of the plotting library: a PlotRead's series as rows, its
 * colours, sizes and the heatmap's cells. `render.ts` turns these into Observable Plot marks.
 */
import type { PlotRead, PlotSeries } from '@/api/types'
import { exactNumber, formatTick } from '@/lib/format'

/** One point of a series, tagged with its series' name (the colour key). */
export interface Row {
  series: string
  x: unknown
  y: unknown
  x2?: number
  y_low?: number
  y_high?: number
}

/** One heatmap cell; `value` null is an empty cell. */
export interface Cell {
  row: string
  col: string
  value: number | null
}

/** Tableau 10: distinct, print-safe, colour-blind tolerant. Series take them in order. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac']
/** Reference marks (`rule`) are neutral: they are not data. */
export const REFERENCE = '#94a3b8'

/** Tick and cell labels: short numbers (`lib/format`'s `formatTick`), categories as they are. */
export function tick(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10)  // a time axis (forecasts)
  return typeof value === 'number' ? formatTick(value) : String(value)
}

/** Tooltip values: exact numbers (the axes carry the rounded ones). */
export function exact(value: unknown): string {
  return typeof value === 'number' ? exactNumber(value) : String(value)
}

/** The view `facet` of a plot with facets (its series of that view; the first view when
 * `facet` is none of them); a plot without facets as it is. */
export function facetView(plot: PlotRead, facet: string | null): { plot: PlotRead; facet: string | null } {
  const views = plot.facets?.values ?? []
  if (views.length === 0) return { plot, facet: null }
  const chosen = facet !== null && views.includes(facet) ? facet : (views[0] ?? null)
  return { plot: { ...plot, series: plot.series?.filter((s) => s.facet === chosen) ?? [] }, facet: chosen }
}

/** The points of one series: x[i], y[i] and, where given, x2/y_low/y_high[i]. */
export function seriesRows(s: PlotSeries): Row[] {
  const n = Math.max(s.x.length, s.y.length)
  const rows: Row[] = []
  for (let i = 0; i < n; i++) {
    const row: Row = { series: s.name, x: s.x[i] ?? null, y: s.y[i] ?? null }
    if (s.x2) row.x2 = s.x2[i]
    if (s.y_low) row.y_low = s.y_low[i]
    if (s.y_high) row.y_high = s.y_high[i]
    rows.push(row)
  }
  return rows
}

/** True when the series carries a band (interval) around y. */
export function hasBand(s: PlotSeries): boolean {
  return !!s.y_low && !!s.y_high && s.y_low.length > 0 && s.y_high.length > 0
}

/** Series name → colour: data series take the palette in order, references stay grey. */
export function seriesColors(series: PlotSeries[]): Map<string, string> {
  const colors = new Map<string, string>()
  let i = 0
  for (const s of series) {
    if (colors.has(s.name)) continue
    colors.set(s.name, s.mark === 'rule' ? REFERENCE : (PALETTE[i++ % PALETTE.length] ?? REFERENCE))
  }
  return colors
}

/** Legend entries (one per series name), or none for a single unnamed-looking series. */
export function legendEntries(plot: PlotRead): Array<{ name: string; color: string; dashed: boolean }> {
  const series = plot.series ?? []
  if (plot.kind !== 'xy' || series.length < 2) return []
  const colors = seriesColors(series)
  return [...colors.entries()].map(([name, color]) => {
    const s = series.find((x) => x.name === name)
    return { name, color, dashed: !!s?.dashed || s?.mark === 'rule' }
  })
}

/** Bars of several series side by side: one group per category, one bar per series. */
export function groupedBars(plot: PlotRead): 'bar' | 'barh' | null {
  const series = plot.series ?? []
  if (series.length < 2) return null
  if (series.every((s) => s.mark === 'bar')) return 'bar'
  if (series.every((s) => s.mark === 'barh')) return 'barh'
  return null
}

/** The heatmap's cells, row by row; absent or non-numeric values are empty cells. */
export function heatmapCells(plot: PlotRead): Cell[] {
  const h = plot.heatmap
  if (!h) return []
  const cells: Cell[] = []
  h.rows.forEach((row, i) => {
    h.cols.forEach((col, j) => {
      const v = h.values[i]?.[j]
      cells.push({ row, col, value: typeof v === 'number' && Number.isFinite(v) ? v : null })
    })
  })
  return cells
}

/** The heatmap's value range, and whether it is signed (correlations: a diverging scale). */
export function heatmapRange(cells: Cell[]): { min: number; max: number; diverging: boolean } {
  const values = cells.map((c) => c.value).filter((v): v is number => v !== null)
  const min = values.length ? Math.min(...values) : 0
  const max = values.length ? Math.max(...values) : 1
  return { min, max, diverging: min < 0 && max > 0 }
}

/** The longest category label on an axis, to size the margin that holds it. */
function longestLabel(values: unknown[]): number {
  return values.reduce<number>((m, v) => Math.max(m, tick(v).length), 0)
}

/** The labels a band x axis of `categories` prints across `span` pixels: every k-th, the first
 * always, so long labels (a date histogram's 30 bin starts) never run into each other. */
export function bandTicks(categories: string[], span: number): string[] {
  const room = span / Math.max(1, categories.length)
  const every = Math.max(1, Math.ceil((10 + 6.5 * longestLabel(categories)) / Math.max(1, room)))
  return categories.filter((_, i) => i % every === 0)
}

/** Left margin wide enough for the category labels of a y axis — horizontal bars', dots on a
 * band axis (a SHAP beeswarm's columns) or heatmap rows' (capped). */
export function leftMargin(plot: PlotRead): number {
  const onBand = (s: PlotSeries) => s.mark === 'barh' || plot.y.scale === 'band'
  const labels =
    plot.kind === 'heatmap' ? (plot.heatmap?.rows ?? []) : (plot.series ?? []).filter(onBand).flatMap((s) => s.y)
  return Math.min(220, Math.max(50, 12 + 6.5 * longestLabel(labels)))
}

/** Chart height: rows of categories get room each; other charts a fixed aspect. */
export function chartHeight(plot: PlotRead): number {
  if (plot.kind === 'heatmap') {
    const rows = plot.heatmap?.rows.length ?? 0
    return Math.min(720, Math.max(220, 80 + rows * 30))
  }
  const barh = (plot.series ?? []).filter((s) => s.mark === 'barh')
  if (barh.length) {
    const cats = new Set(barh.flatMap((s) => s.y.map(String))).size
    return Math.min(900, Math.max(160, 70 + cats * barh.length * 16))
  }
  return 320
}

/** Whether a heatmap prints its values in the cells (small enough to read). */
export function labelCells(cells: Cell[]): boolean {
  return cells.length > 0 && cells.length <= 400
}

/** Text colour for a cell value over its fill: white on dark cells. */
export function cellTextColor(value: number | null, range: { min: number; max: number; diverging: boolean }): string {
  if (value === null) return '#0f172a'
  if (range.diverging) {
    const m = Math.max(Math.abs(range.min), Math.abs(range.max)) || 1
    return Math.abs(value) / m > 0.6 ? 'white' : '#0f172a'
  }
  const span = range.max - range.min || 1
  return (value - range.min) / span > 0.6 ? 'white' : '#0f172a'
}
