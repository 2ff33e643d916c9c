/**
 * PlotRead → SVG with Observable Plot. The module is passed in (loaded lazily by `Chart`), so
 * importing this file costs the first page nothing. Plot's inline `<style>` element is removed:
 * the app's CSP forbids inline styles; `index.css` carries the same rules (`.podium-plot`).
 */
import type * as PlotModule from '@observablehq/plot'

import type { PlotAxis, PlotRead, PlotSeries } from '@/api/types'
import {
  bandTicks,
  cellTextColor,
  chartHeight,
  exact,
  groupedBars,
  hasBand,
  heatmapCells,
  heatmapRange,
  labelCells,
  leftMargin,
  seriesColors,
  seriesRows,
  tick,
  type Cell,
} from '@/components/charts/spec'

type P = typeof PlotModule
type Markish = PlotModule.Markish
type Grouping = ReturnType<typeof groupedBars>

export const PLOT_CLASS = 'podium-plot'
const TIP = { format: { x: exact, y: exact, series: true } } as const

/** Distinct values in first-seen order: the engine's category order (Plot would sort them). */
function ordered(values: unknown[]): string[] {
  return [...new Set(values.filter((v) => v !== null && v !== undefined).map(String))]
}

/** Scale options of one axis; `categories` (in the engine's order) makes it a band scale, and
 * `span` (its length in pixels, for an x axis) thins its labels to those that fit. */
function axisOptions(axis: PlotAxis, categories?: string[], span?: number): PlotModule.ScaleOptions {
  if (categories) {
    const ticks = span === undefined ? undefined : bandTicks(categories, span)
    return { label: axis.label, type: 'band', domain: categories, tickFormat: tick, ticks }
  }
  return {
    label: axis.label,
    type: axis.scale === 'log' ? 'log' : axis.scale === 'time' ? 'utc' : undefined,
    domain: axis.domain ?? undefined,
    tickFormat: tick,
    grid: true,
    nice: !axis.domain,
  }
}

/** A reference (`rule`): a line through its points, or one vertical/horizontal rule. */
function ruleMarks(P: P, s: PlotSeries, color: string): Markish[] {
  const dash = s.dashed ? '5,4' : undefined
  const xs = s.x.filter((v) => v !== null && v !== undefined)
  const ys = s.y.filter((v) => v !== null && v !== undefined)
  if (ys.length === 0) return [P.ruleX(xs, { stroke: color, strokeDasharray: dash })]
  if (xs.length === 0) return [P.ruleY(ys, { stroke: color, strokeDasharray: dash })]
  return [P.line(seriesRows(s), { x: 'x', y: 'y', stroke: color, strokeDasharray: dash, strokeWidth: 1.25 })]
}

/** The marks of one series of an xy plot (its band first, under the line). */
function seriesMarks(P: P, s: PlotSeries, color: string, grouped: Grouping, overlapping: boolean): Markish[] {
  const rows = seriesRows(s)
  const dash = s.dashed ? '5,4' : undefined
  const channels = { series: 'series' }
  const marks: Markish[] = []
  if (hasBand(s)) marks.push(P.areaY(rows, { x: 'x', y1: 'y_low', y2: 'y_high', fill: color, fillOpacity: 0.15 }))
  const line = { x: 'x', y: 'y', stroke: color, strokeWidth: 1.75, strokeDasharray: dash, channels, tip: TIP }
  switch (s.mark) {
    case 'line':
      return [...marks, P.line(rows, line)]
    case 'step':
      return [...marks, P.line(rows, { ...line, curve: 'step-after' })]
    case 'dot':
      return [...marks, P.dot(rows, { x: 'x', y: 'y', fill: color, fillOpacity: 0.7, r: 2.5, channels, tip: TIP })]
    case 'area':
      return [...marks, P.areaY(rows, { x: 'x', y: 'y', fill: color, fillOpacity: 0.25 }), P.line(rows, line)]
    case 'bar':
      return grouped === 'bar'
        ? [P.barY(rows, { fx: 'x', x: 'series', y: 'y', fill: color, channels, tip: TIP })]
        : [P.barY(rows, { x: 'x', y: 'y', fill: color, channels, tip: TIP })]
    case 'barh':
      return grouped === 'barh'
        ? [P.barX(rows, { fy: 'y', y: 'series', x: 'x', fill: color, channels, tip: TIP })]
        : [P.barX(rows, { y: 'y', x: 'x', fill: color, channels, tip: TIP })]
    case 'rect':
      return [
        P.rect(rows, {
          x1: 'x', x2: 'x2', y1: 0, y2: 'y', fill: color, fillOpacity: overlapping ? 0.45 : 0.85, inset: 0.5,
          channels: { ...channels, to: 'x2' }, tip: { format: { x1: exact, x2: exact, y2: exact, series: true, to: exact } },
        }),
      ]
    case 'rule':
      return ruleMarks(P, s, color)
  }
}

/** The band (category) domains of an xy plot's axes, where its bars need them. */
function bandDomains(series: PlotSeries[]): { x?: string[]; y?: string[] } {
  const bars = series.filter((s) => s.mark === 'bar')
  const barhs = series.filter((s) => s.mark === 'barh')
  return {
    x: bars.length ? ordered(bars.flatMap((s) => s.x)) : undefined,
    y: barhs.length ? ordered(barhs.flatMap((s) => s.y)) : undefined,
  }
}

function xyOptions(P: P, plot: PlotRead, width: number): PlotModule.PlotOptions {
  const series = plot.series ?? []
  const colors = seriesColors(series)
  const grouped = groupedBars(plot)
  const overlapping = series.filter((s) => s.mark === 'rect').length > 1
  const bands = bandDomains(series)
  const marks = series.flatMap((s) => seriesMarks(P, s, colors.get(s.name) ?? '#000', grouped, overlapping))
  const base = { width, height: chartHeight(plot), marginLeft: leftMargin(plot), marginBottom: 40, className: PLOT_CLASS, marks }
  if (grouped === 'bar') {
    const names = ordered(series.map((s) => s.name))
    return { ...base, fx: { label: plot.x.label, domain: bands.x, tickFormat: tick }, x: { axis: null, domain: names }, y: axisOptions(plot.y) }
  }
  if (grouped === 'barh') {
    const names = ordered(series.map((s) => s.name))
    return { ...base, fy: { label: plot.y.label, domain: bands.y, tickFormat: tick }, y: { axis: null, domain: names }, x: axisOptions(plot.x) }
  }
  const span = width - base.marginLeft - 20 // Plot's default right margin
  return { ...base, x: axisOptions(plot.x, bands.x, span), y: axisOptions(plot.y, bands.y) }
}

/** A cell's printed value (the tooltip has the exact one). */
const cellText = (c: Cell) => (c.value === null ? '' : tick(c.value))

function heatmapOptions(P: P, plot: PlotRead, width: number): PlotModule.PlotOptions {
  const h = plot.heatmap ?? { rows: [], cols: [], values: [] }
  const cells = heatmapCells(plot)
  const range = heatmapRange(cells)
  const m = Math.max(Math.abs(range.min), Math.abs(range.max)) || 1
  const color: PlotModule.ScaleOptions = range.diverging
    ? { type: 'linear', scheme: 'rdbu', domain: [-m, m] }
    : { type: 'linear', scheme: 'blues', domain: [Math.min(0, range.min), range.max || 1] }
  const marks: Markish[] = [
    P.cell(cells, { x: 'col', y: 'row', fill: 'value', inset: 0.5, tip: { format: { x: true, y: true, fill: exact } } }),
  ]
  if (labelCells(cells)) {
    const dark = (c: Cell) => cellTextColor(c.value, range) === 'white'
    marks.push(P.text(cells.filter(dark), { x: 'col', y: 'row', text: cellText, fill: 'white' }))
    marks.push(P.text(cells.filter((c) => !dark(c)), { x: 'col', y: 'row', text: cellText, fill: '#0f172a' }))
  }
  const rotate = h.cols.some((c) => c.length > 6) ? -35 : 0
  return {
    width, height: chartHeight(plot), marginLeft: leftMargin(plot), marginBottom: rotate ? 80 : 40,
    className: PLOT_CLASS, color,
    x: { label: plot.x.label, domain: h.cols, tickRotate: rotate, padding: 0.04 }, y: { label: plot.y.label, domain: h.rows, padding: 0.04 },
    marks,
  }
}

/** Draw a PlotRead as an SVG element (detached; the caller inserts it). */
export function drawPlot(P: P, plot: PlotRead, width: number): SVGSVGElement {
  const options = plot.kind === 'heatmap' ? heatmapOptions(P, plot, width) : xyOptions(P, plot, width)
  const out = P.plot(options) as unknown as SVGSVGElement | HTMLElement
  out.querySelectorAll('style').forEach((el) => el.remove())
  const svg = out instanceof SVGSVGElement ? out : out.querySelector('svg')
  if (!svg) throw new Error('the plotting library returned no SVG')
  return svg
}

/** True when the plot has something to draw. */
export function isEmpty(plot: PlotRead): boolean {
  if (plot.kind === 'heatmap') return !plot.heatmap || plot.heatmap.rows.length === 0 || plot.heatmap.cols.length === 0
  return !(plot.series ?? []).some((s) => s.x.length > 0 || s.y.length > 0)
}
