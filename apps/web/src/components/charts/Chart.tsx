/**
 * The app's one chart: draws any PlotRead (xy series or a heatmap) with Observable Plot, loaded
 * on first use so the library never weighs on the first page. Title, legend, notes, and SVG/PNG
 * downloads around it; tooltips on hover show exact values.
 */
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react'

import type { PlotRead } from '@/api/types'
import { downloadPng, downloadSvg } from '@/components/charts/exportChart'
import { drawPlot, isEmpty } from '@/components/charts/render'
import { facetView, legendEntries } from '@/components/charts/spec'
import { Button } from '@/components/ui/Button'
import { cn } from '@/lib/cn'
import { errorMessage } from '@/lib/errors'

type PlotLib = typeof import('@/components/charts/plotLibrary')
let library: Promise<PlotLib> | null = null

/** Observable Plot, imported once, on first use (its own chunk). */
export function loadPlotLibrary(): Promise<PlotLib> {
  library ??= import('@/components/charts/plotLibrary').catch((e: unknown) => {
    library = null // let a later chart retry a failed chunk load
    throw e
  })
  return library
}

const DEFAULT_WIDTH = 640

/** The element's width, following resizes (a fixed default where layout is absent, e.g. jsdom). */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(DEFAULT_WIDTH)
  useEffect(() => {
    const el = ref.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const measure = () => {
      const w = Math.floor(el.clientWidth)
      if (w > 0) setWidth((old) => (Math.abs(old - w) > 4 ? w : old))
    }
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [ref])
  return width
}

type State = { status: 'loading' } | { status: 'ready' } | { status: 'error'; message: string }

/** Draw `plot` into `holder` whenever it or the width changes. */
function useDrawing(holder: RefObject<HTMLDivElement | null>, plot: PlotRead, width: number): State {
  const [state, setState] = useState<State>({ status: 'loading' })
  useEffect(() => {
    let live = true
    loadPlotLibrary()
      .then((P) => {
        if (!live || !holder.current) return
        holder.current.replaceChildren(drawPlot(P, plot, width))
        setState({ status: 'ready' })
      })
      .catch((e: unknown) => live && setState({ status: 'error', message: errorMessage(e) }))
    return () => {
      live = false
    }
  }, [holder, plot, width])
  return state
}

function Legend({ plot }: { plot: PlotRead }) {
  const entries = legendEntries(plot)
  if (entries.length === 0) return null
  return (
    <ul aria-label="Legend" className="mb-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
      {entries.map((e) => (
        <li key={e.name} className="flex items-center gap-1.5">
          <svg width="18" height="8" aria-hidden>
            <line x1="1" x2="17" y1="4" y2="4" stroke={e.color} strokeWidth="3" strokeDasharray={e.dashed ? '4,3' : undefined} />
          </svg>
          {e.name}
        </li>
      ))}
    </ul>
  )
}

function Downloads({ holder, name, disabled }: { holder: RefObject<HTMLDivElement | null>; name: string; disabled: boolean }) {
  const [error, setError] = useState<string | null>(null)
  const svg = () => holder.current?.querySelector('svg') ?? null
  const png = () => {
    const el = svg()
    if (el) downloadPng(el, name).then(() => setError(null), (e: unknown) => setError(errorMessage(e)))
  }
  return (
    <div className="ml-auto flex items-center gap-1">
      {error && <span role="alert" className="text-xs text-red-700">{error}</span>}
      <Button variant="ghost" size="sm" disabled={disabled} onClick={() => { const el = svg(); if (el) downloadSvg(el, name) }}>SVG</Button>
      <Button variant="ghost" size="sm" disabled={disabled} onClick={png}>PNG</Button>
    </div>
  )
}

/** The picker of a faceted plot's views (e.g. each class of a multiclass model). */
function FacetPicker({ label, values, value, onChange }: { label: string; values: string[]; value: string; onChange: (v: string) => void }) {
  return (
    <label className="flex items-center gap-1.5 text-xs text-slate-600">
      {label}
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className="rounded border border-slate-300 bg-white px-1.5 py-0.5 text-xs text-slate-800">
        {values.map((v) => <option key={v} value={v}>{v}</option>)}
      </select>
    </label>
  )
}

interface Props {
  plot: PlotRead
  /** file name (without extension) of downloads; defaults to the plot's id */
  filename?: string
  /** hide the title line (when the surrounding card already names the plot) */
  hideTitle?: boolean
  className?: string
}

export function Chart({ plot: given, filename, hideTitle, className }: Props) {
  const outer = useRef<HTMLElement>(null)
  const holder = useRef<HTMLDivElement>(null)
  const width = useWidth(outer)
  const [picked, setPicked] = useState<string | null>(null)
  const { plot, facet } = useMemo(() => facetView(given, picked), [given, picked])
  const state = useDrawing(holder, plot, width)
  const empty = isEmpty(plot)
  const notes = plot.notes ?? []
  const facets = given.facets

  return (
    <figure ref={outer} className={cn('min-w-0', className)} data-testid="chart" data-plot-id={plot.id} data-state={empty ? 'empty' : state.status}>
      <figcaption className="mb-1 flex items-center justify-between gap-2">
        <span className={cn('text-sm font-medium text-slate-800', hideTitle && 'sr-only')}>{plot.title}</span>
        {facets && facet !== null && <FacetPicker label={facets.label} values={facets.values} value={facet} onChange={setPicked} />}
        <Downloads holder={holder} name={filename ?? plot.id} disabled={empty || state.status !== 'ready'} />
      </figcaption>
      <Legend plot={plot} />
      {empty ? (
        <p className="py-8 text-center text-sm text-slate-500">Nothing to draw: this plot has no data.</p>
      ) : (
        <div ref={holder} role="img" aria-label={plot.title} className="podium-chart min-h-10 overflow-x-auto" />
      )}
      {!empty && state.status === 'loading' && <p className="text-xs text-slate-500" role="status">Drawing…</p>}
      {state.status === 'error' && (
        <p role="alert" className="text-sm text-red-700">This chart could not be drawn: {state.message}</p>
      )}
      {notes.length > 0 && (
        <ul className="mt-1 space-y-0.5 text-xs text-slate-500">
          {notes.map((n) => <li key={n}>{n}</li>)}
        </ul>
      )}
    </figure>
  )
}
