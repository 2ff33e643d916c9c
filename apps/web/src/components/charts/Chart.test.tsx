import { cleanup, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'

import type { PlotMark, PlotRead, PlotSeries } from '@/api/types'
import { Chart } from '@/components/charts/Chart'
import { svgText } from '@/components/charts/exportChart'
import { chartHeight, heatmapCells, leftMargin, legendEntries, seriesColors, seriesRows } from '@/components/charts/spec'

const axes = { x: { label: 'False positive rate' }, y: { label: 'True positive rate' } }

function xy(mark: PlotMark, extra: Partial<PlotSeries> = {}): PlotRead {
  const numbers = { x: [0, 0.25, 0.5, 1], y: [0, 0.6, 0.8, 1] }
  const data =
    mark === 'bar' ? { x: ['a', 'b', 'c'], y: [3, 1, 2] }
    : mark === 'barh' ? { x: [0.3, 0.2, 0.1], y: ['age', 'income', 'tenure'] }
    : mark === 'rect' ? { x: [0, 1, 2], x2: [1, 2, 3], y: [4, 9, 2] }
    : numbers
  return { id: `p_${mark}`, title: `A ${mark} plot`, kind: 'xy', ...axes, series: [{ name: mark, mark, ...data, ...extra }], notes: [] }
}

/** Render and wait until the lazily loaded library has drawn the SVG. */
async function drawn(plot: PlotRead): Promise<SVGSVGElement> {
  render(<Chart plot={plot} />)
  const fig = screen.getByTestId('chart')
  await waitFor(() => expect(fig).toHaveAttribute('data-state', 'ready'))
  const svg = fig.querySelector('svg[class="podium-plot"]') as SVGSVGElement | null
  expect(svg).not.toBeNull()
  return svg!
}

describe('Chart', () => {
  it.each<[PlotMark, string]>([
    ['line', 'path'],
    ['step', 'path'],
    ['dot', 'circle'],
    ['area', 'path'],
    ['bar', 'rect'],
    ['barh', 'rect'],
    ['rect', 'rect'],
    ['rule', 'path'],
  ])('draws a %s series as SVG marks (%s)', async (mark, element) => {
    const svg = await drawn(xy(mark))
    const marks = svg.querySelectorAll(`g[aria-label] ${element}`)
    expect(marks.length).toBeGreaterThan(0)
    // The CSP forbids inline <style>: the library's is removed.
    expect(svg.querySelector('style')).toBeNull()
  })

  it('draws a band and a dashed reference', async () => {
    const plot: PlotRead = {
      id: 'learning_curve', title: 'Learning curve', kind: 'xy', x: { label: 'rows' }, y: { label: 'score', domain: [0, 1] },
      series: [
        { name: 'validation', mark: 'line', x: [100, 200, 400], y: [0.7, 0.8, 0.85], y_low: [0.65, 0.76, 0.83], y_high: [0.75, 0.84, 0.87] },
        { name: 'chance', mark: 'rule', x: [100, 400], y: [0.5, 0.5], dashed: true },
      ],
    }
    const svg = await drawn(plot)
    expect(svg.querySelector('g[aria-label="area"] path')).not.toBeNull()
    expect(svg.querySelector('[stroke-dasharray="5,4"]')).not.toBeNull()
    const legend = screen.getByRole('list', { name: 'Legend' })
    expect(legend).toHaveTextContent('validation')
    expect(legend).toHaveTextContent('chance')
  })

  it('prints only the category labels that fit under many bars, first one always', async () => {
    // a profile's date histogram: 30 bars, each labelled by the start of its span
    const starts = Array.from({ length: 30 }, (_, i) => `2021-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + i).padStart(2, '0')} 00:00`)
    const svg = await drawn({ ...xy('bar'), series: [{ name: 'rows', mark: 'bar', x: starts, y: starts.map(() => 5) }] })
    const printed = [...svg.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent)
    expect(printed[0]).toBe(starts[0])
    expect(printed.length).toBeGreaterThan(1)
    expect(printed.length).toBeLessThan(starts.length)
    cleanup() // few short labels all print
    const few = await drawn(xy('bar'))
    expect([...few.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent)).toEqual(['a', 'b', 'c'])
  })

  it('draws a heatmap with its values in the cells', async () => {
    const plot: PlotRead = {
      id: 'confusion_matrix', title: 'Confusion matrix', kind: 'heatmap', x: { label: 'Predicted' }, y: { label: 'Actual' },
      heatmap: { rows: ['no', 'yes'], cols: ['no', 'yes'], values: [[1234567, 12], [3, null]] },
    }
    const svg = await drawn(plot)
    // three cells drawn; the null one stays empty
    expect(svg.querySelectorAll('g[aria-label="cell"] rect')).toHaveLength(3)
    const texts = [...svg.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent)
    expect(texts).toContain('1.235M') // readable, from lib/format's formatTick
    expect(texts).toContain('12')
  })

  it('groups bars of several series: one group per category, one colour per series', async () => {
    const plot: PlotRead = {
      id: 'compare', title: 'AUC by model', kind: 'xy', x: { label: 'model' }, y: { label: 'AUC' },
      series: [
        { name: 'run a', mark: 'bar', x: ['lr', 'rf'], y: [0.8, 0.9] },
        { name: 'run b', mark: 'bar', x: ['lr', 'rf'], y: [0.82, 0.88] },
      ],
    }
    const svg = await drawn(plot)
    const bars = [...svg.querySelectorAll('g[aria-label="bar"] rect')]
    const fills = new Set(bars.map((r) => r.closest('[fill]')?.getAttribute('fill')))
    expect(fills.size).toBe(2)
    expect(svg.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(4)
  })

  it('shows one view of a faceted plot at a time and lets the reader pick another', async () => {
    const plot: PlotRead = {
      id: 'shap_summary', title: 'SHAP', kind: 'xy', x: { label: 'mean |SHAP|' }, y: { label: 'column', scale: 'band' },
      facets: { label: 'Class', values: ['All classes', 'setosa', 'virginica'] },
      series: [
        { name: 'mean |SHAP|', mark: 'barh', x: [0.5, 0.3, 0.1], y: ['petal', 'sepal', 'width'], facet: 'All classes' },
        { name: 'mean |SHAP|', mark: 'barh', x: [0.4, 0.2], y: ['petal', 'sepal'], facet: 'setosa' },
        { name: 'mean |SHAP|', mark: 'barh', x: [0.1], y: ['width'], facet: 'virginica' },
      ],
    }
    const svg = await drawn(plot)
    const picker = screen.getByRole('combobox', { name: 'Class' })
    expect([...picker.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['All classes', 'setosa', 'virginica'])
    expect(svg.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(3)
    await userEvent.selectOptions(picker, 'setosa')
    const fig = screen.getByTestId('chart')
    await waitFor(() => expect(fig.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(2))
    await userEvent.selectOptions(picker, 'virginica')
    await waitFor(() => expect(fig.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(1))
    expect(fig.querySelector('g[aria-label="y-axis tick label"]')).toHaveTextContent('width')
  })

  it('offers no picker for a plot without facets', async () => {
    await drawn(xy('barh'))
    expect(screen.queryByRole('combobox')).toBeNull()
  })

  it('says so when a plot has no data, and offers no download', () => {
    render(<Chart plot={{ ...xy('line'), series: [] }} />)
    expect(screen.getByText(/no data/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'SVG' })).toBeDisabled()
  })

  it('downloads a standalone SVG named after the plot', async () => {
    const saved: Array<{ name: string; blob: Blob }> = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, blob: new Blob() })
    })
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    await drawn(xy('line'))
    await userEvent.click(screen.getByRole('button', { name: 'SVG' }))
    expect(saved.map((s) => s.name)).toEqual(['p_line.svg'])
    const blob = created.mock.calls[0]?.[0] as Blob
    const text = await blob.text()
    expect(text).toMatch(/^<\?xml/)
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"')
    expect(text).toContain('<path')
  })
})

describe('chart data mapping', () => {
  it('zips a series into rows tagged with its name', () => {
    expect(seriesRows({ name: 's', mark: 'rect', x: [0, 1], x2: [1, 2], y: [5, 6] })).toEqual([
      { series: 's', x: 0, x2: 1, y: 5 },
      { series: 's', x: 1, x2: 2, y: 6 },
    ])
  })

  it('gives data series the palette in order and references grey', () => {
    const colors = seriesColors([
      { name: 'a', mark: 'line', x: [], y: [] },
      { name: 'diag', mark: 'rule', x: [], y: [] },
      { name: 'b', mark: 'line', x: [], y: [] },
    ])
    expect([...colors.values()]).toEqual(['#4e79a7', '#94a3b8', '#f28e2b'])
  })

  it('has no legend for one series', () => {
    expect(legendEntries(xy('line'))).toEqual([])
  })

  it('leaves room for the column names of dots on a band y axis (a SHAP beeswarm)', () => {
    const names = ['Tenure (months)', ' Monthly Charge ($) ', 'Région']
    const beeswarm: PlotRead = {
      id: 'shap_beeswarm', title: 'SHAP', kind: 'xy', x: { label: 'SHAP value' }, y: { label: 'column', scale: 'band' },
      series: [{ name: 'value above median', mark: 'dot', x: [0.1, -0.2, 0.05], y: names }],
    }
    const bars: PlotRead = { ...beeswarm, series: [{ name: 'rows', mark: 'barh', x: [1, 2, 3], y: names }] }
    expect(leftMargin(beeswarm)).toBe(leftMargin(bars))
    expect(leftMargin(beeswarm)).toBeGreaterThan(6.5 * ' Monthly Charge ($) '.length)
  })

  it('keeps empty heatmap cells empty and sizes rows', () => {
    const plot: PlotRead = { id: 'h', title: 'h', kind: 'heatmap', ...axes, heatmap: { rows: ['r'], cols: ['a', 'b'], values: [[1, null]] } }
    expect(heatmapCells(plot)).toEqual([{ row: 'r', col: 'a', value: 1 }, { row: 'r', col: 'b', value: null }])
    expect(chartHeight(plot)).toBe(220)
  })

  it('exports without tooltips and with a white background', () => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg')
    const tip = document.createElementNS('http://www.w3.org/2000/svg', 'g')
    tip.setAttribute('aria-label', 'tip')
    svg.append(tip)
    const text = svgText(svg)
    expect(text).not.toContain('aria-label="tip"')
    expect(text).toContain('fill="white"')
  })
})
