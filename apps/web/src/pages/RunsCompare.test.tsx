import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import type { Run } from '@/api/types'
import { compareChart, defaultMetric, parseRunIds, sharedMetrics } from '@/components/experiment/compare'
import RunsCompare from '@/pages/RunsCompare'
import { experiment, makeRun } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi } from '@/test/server'

const board = (scores: Record<string, [number, number]>) => ({
  columns: ['Model', 'AUC', 'F1', 'TT (Sec)'],
  rows: Object.entries(scores).map(([id, [auc, f1]]) => ({ model_id: id, Model: id.toUpperCase(), AUC: auc, F1: f1, 'TT (Sec)': 0.1 })),
})
const runA = makeRun({ id: 'run-aaaaaaaa1', status: 'succeeded', leaderboard: board({ lr: [0.81, 0.7], rf: [0.88, 0.75] }), best: { model_id: 'rf', model: 'RF', metric: 'AUC', score: 0.88 } })
const runB = makeRun({ id: 'run-bbbbbbbb2', status: 'succeeded', plan: 'auto', leaderboard: board({ lr: [0.8, 0.69], lightgbm: [0.9, 0.77] }) })

describe('compare data', () => {
  it('offers the numeric columns, the sort metric first', () => {
    expect(sharedMetrics([runA, runB])).toEqual(['AUC', 'F1', 'TT (Sec)'])
    expect(defaultMetric([runB, runA], ['F1', 'AUC'])).toBe('AUC')
    expect(defaultMetric([runB], ['F1', 'AUC'])).toBe('F1')
  })

  it('draws one bar group per model and one series (colour) per run', () => {
    const plot = compareChart([runA, runB], 'AUC')
    expect(plot.series?.map((s) => [s.name, s.mark, s.y, s.x])).toEqual([
      ['Run run-aaaa (compare)', 'barh', ['LR', 'RF'], [0.81, 0.88]],
      ['Run run-bbbb (auto)', 'barh', ['LR', 'LIGHTGBM'], [0.8, 0.9]],
    ])
  })

  it('reads ?runs= without duplicates or blanks', () => {
    expect(parseRunIds('a, b,,a')).toEqual(['a', 'b'])
    expect(parseRunIds(null)).toEqual([])
  })
})

describe('RunsCompare', () => {
  const runs: Record<string, Run> = { [runA.id]: runA, [runB.id]: runB }

  it('shows the runs’ leaderboards side by side and a metric chart drawn by Chart', async () => {
    mockApi({ 'GET /api/v1/experiments/:id': experiment, 'GET /api/v1/runs/:id': ({ params }) => runs[params.id ?? ''] })
    const user = userEvent.setup()
    renderRoute(<RunsCompare />, { path: '/experiments/:experimentId/compare', url: `/experiments/exp1/compare?runs=${runA.id},${runB.id}` })
    expect(await screen.findByRole('heading', { name: 'Compare 2 runs' })).toBeInTheDocument()
    const a = await screen.findByRole('table', { name: 'Leaderboard of Run run-aaaa (compare)' })
    expect(within(a).getByRole('link', { name: 'RF' })).toHaveAttribute('href', `/runs/${runA.id}/models/rf`)
    expect(screen.getByRole('table', { name: 'Leaderboard of Run run-bbbb (auto)' })).toBeInTheDocument()

    const chart = await waitFor(() => {
      const el = document.querySelector('[data-testid="chart"][data-plot-id="compare-AUC"]')
      expect(el).toHaveAttribute('data-state', 'ready')
      return el!
    })
    expect(chart.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(4)
    expect(within(screen.getByRole('list', { name: 'Legend' })).getAllByRole('listitem')).toHaveLength(2)

    await user.selectOptions(screen.getByRole('combobox'), 'F1')
    expect(await screen.findByText('F1 by model')).toBeInTheDocument()
  })

  it('asks for two runs when fewer are given', async () => {
    mockApi({ 'GET /api/v1/experiments/:id': experiment, 'GET /api/v1/runs/:id': runA })
    renderRoute(<RunsCompare />, { path: '/experiments/:experimentId/compare', url: `/experiments/exp1/compare?runs=${runA.id}` })
    expect(await screen.findByText('Pick two or more runs')).toBeInTheDocument()
  })
})
