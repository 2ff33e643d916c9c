import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import ModelDetail from '@/pages/ModelDetail'
import PipelineDetail from '@/pages/PipelineDetail'
import RunDetail from '@/pages/RunDetail'
import { ABILITIES, confusionPlot, importancePlot, makeRun, model, pipeline, rocPlot, workspace } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

const MODEL = '/api/v1/runs/run-1/models/lda'
const openModel = () => renderRoute(<ModelDetail />, { path: '/runs/:runId/models/:modelId', url: '/runs/run-1/models/lda' })
const plots: Record<string, object> = { confusion_matrix: confusionPlot, roc: rocPlot, permutation_importance: importancePlot }

const NEVER_ASKED = () => reply(404, { detail: 'no analysis requested for this model' })

function modelRoutes(analysis: () => unknown = NEVER_ASKED, role = 'editor') {
  const status = () => {
    const job = analysis()
    return job instanceof Response ? null : (job as { status: string }).status
  }
  mockApi({
    'GET /api/v1/workspaces/:ws': { ...workspace, role, can: ABILITIES[role]! },
    'GET /api/v1/runs/:id': makeRun({ id: 'run-1', status: 'succeeded' }),
    'GET /api/v1/runs/:run/models/:model': () => ({ ...model, analysis: status() }),
    'GET /api/v1/runs/:run/models/:model/plots/:plot': ({ params }) => plots[params.plot ?? ''] ?? reply(404, { detail: 'no such plot' }),
    'GET /api/v1/runs/:run/models/:model/analysis': analysis,
  })
}

/** The drawn chart of a plot id, once the lazily loaded library has drawn it. */
async function drawnChart(plotId: string): Promise<HTMLElement> {
  const chart = await waitFor(() => {
    const el = document.querySelector<HTMLElement>(`[data-testid="chart"][data-plot-id="${plotId}"]`)
    expect(el).toHaveAttribute('data-state', 'ready')
    return el!
  })
  expect(chart.querySelector('svg.podium-plot')).not.toBeNull()
  return chart
}

describe('ModelDetail', () => {
  it('shows scores, every hyperparameter, the preprocessing, the folds and the evaluation plots', async () => {
    modelRoutes()
    openModel()
    expect(await screen.findByRole('heading', { name: 'Linear Discriminant Analysis' })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Run run-1' })).toHaveAttribute('href', '/runs/run-1')

    const scores = screen.getByRole('table', { name: 'Scores' })
    const accuracy = within(scores).getByRole('row', { name: /Accuracy/ })
    expect(accuracy).toHaveTextContent('0.9667')
    expect(accuracy).toHaveTextContent('0.9556')

    const params = document.querySelector<HTMLElement>('dl[aria-label="Hyperparameters"]')!
    for (const k of ['solver', 'shrinkage', 'tol', 'priors']) expect(within(params).getByText(k)).toBeInTheDocument()
    expect(screen.getByRole('heading', { name: 'Hyperparameters (4)' })).toBeInTheDocument()

    const steps = screen.getByRole('list', { name: 'Preprocessing steps' })
    expect(within(steps).getAllByRole('listitem')).toHaveLength(2)
    expect(steps).toHaveTextContent('impute')
    expect(steps).toHaveTextContent('sepal_length, sepal_width')
    expect(within(steps).getByText('strategy').nextSibling).toHaveTextContent('mean') // details spread

    expect(within(screen.getByRole('table', { name: 'Per-fold scores' })).getAllByRole('row')).toHaveLength(3)

    const cm = await drawnChart('confusion_matrix')
    expect(cm.querySelectorAll('g[aria-label="cell"] rect').length).toBe(4)
    const roc = await drawnChart('roc')
    expect(roc.querySelector('g[aria-label="line"] path')).not.toBeNull()
    // explanations are not fetched until computed
    expect(requestsTo(`${MODEL}/plots/permutation_importance`)).toHaveLength(0)
    expect(await screen.findByRole('button', { name: 'Compute explanations' })).toBeInTheDocument()
  })

  it('asks for no analysis job the model says nobody requested (a 404 the console would log)', async () => {
    modelRoutes()
    openModel()
    expect(await screen.findByRole('button', { name: 'Compute explanations' })).toBeInTheDocument()
    expect(requestsTo(`${MODEL}/analysis`)).toHaveLength(0)
  })

  it('says why a model has no holdout scores, in the server’s words', async () => {
    modelRoutes()
    const why = 'auto scores the holdout only for the model it returns and its ensemble’s members'
    mockApi({ 'GET /api/v1/runs/:run/models/:model': { ...model, holdout: null, no_holdout: why } })
    openModel()
    const scores = await screen.findByRole('region', { name: 'Scores' })
    expect(await within(scores).findByText(`No holdout scores: ${why}.`)).toBeInTheDocument()
    expect(within(scores).queryByText(/kept no holdout split/)).not.toBeInTheDocument()
  })

  it('says why a model has no evaluation plots', async () => {
    modelRoutes()
    const raced = { ...model, plots: model.plots.map((p) => ({ ...p, available: p.source === 'analysis' && p.available })), no_predictions: 'the race stopped it after 2 fold(s), so not every row has an out-of-fold prediction' }
    mockApi({ 'GET /api/v1/runs/:run/models/:model': raced })
    openModel()
    expect(await screen.findByText(/nothing can be drawn: the race stopped it after 2 fold\(s\)/)).toBeInTheDocument()
    expect(requestsTo(`${MODEL}/plots/roc`)).toHaveLength(0)
  })

  it('offers a viewer no "Compute explanations" button, only a note that an editor can', async () => {
    modelRoutes(undefined, 'viewer')
    openModel()
    expect(await screen.findByText(/an editor can compute explanations/)).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Compute explanations/ })).not.toBeInTheDocument()
    expect(requestsTo('/api/v1/workspaces/ws1')).not.toHaveLength(0)
    expect(requestsTo(`${MODEL}/analysis`, 'POST')).toHaveLength(0)
  })

  it('computes explanations on request, follows the job and draws what it wrote', async () => {
    let state: unknown = NEVER_ASKED()
    modelRoutes(() => state)
    mockApi({
      [`POST ${MODEL}/analysis`]: () => {
        state = { status: 'done', error: null, plots: ['permutation_importance'] }
        return reply(202, { status: 'queued', error: null, plots: [] })
      },
    })
    const user = userEvent.setup()
    openModel()
    await user.click(await screen.findByRole('button', { name: 'Compute explanations' }))
    expect(requestsTo(`${MODEL}/analysis`, 'POST')).toHaveLength(1)
    expect(await screen.findByText(/Explanations queued/)).toBeInTheDocument()
    // the page polls the job until it is done, then draws the plots it wrote
    const chart = await waitFor(
      () => {
        const el = document.querySelector(`[data-plot-id="permutation_importance"][data-state="ready"]`)
        expect(el).not.toBeNull()
        return el!
      },
      { timeout: 10_000 },
    )
    expect(chart.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(2)
    expect(screen.getByText(/Not computed for this model: SHAP summary/)).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Compute explanations/ })).not.toBeInTheDocument()
  })

  it('shows a failed analysis in its words and offers to try again', async () => {
    modelRoutes(() => ({ status: 'failed', error: 'shap: the model is not supported', plots: [] }))
    openModel()
    expect(await screen.findByText(/shap: the model is not supported/)).toBeInTheDocument()
    expect(await screen.findByRole('button', { name: 'Compute explanations again' })).toBeInTheDocument()
  })

  it('says "Model not found" for an unknown model', async () => {
    mockApi({
      'GET /api/v1/runs/:id': makeRun({ id: 'run-1', status: 'succeeded' }),
      'GET /api/v1/runs/:run/models/:model': reply(404, { detail: "run run-1 has no model 'lda'" }),
    })
    openModel()
    expect(await screen.findByRole('heading', { name: 'Model not found' })).toBeInTheDocument()
  })
})

describe('opening a model', () => {
  const board = {
    columns: ['Model', 'Accuracy'],
    rows: [
      { model_id: 'lda', Model: 'Linear Discriminant Analysis', Accuracy: 0.97 },
      { model_id: 'svm', Model: 'SVM', Accuracy: null, Error: 'did not converge' },
    ],
  }

  it('a finished run’s leaderboard row opens its model page; a failed fit has none', async () => {
    mockApi({ 'GET /api/v1/runs/:id': makeRun({ status: 'succeeded', finished_at: '2026-11-28T10:00:09Z', leaderboard: board }) })
    const user = userEvent.setup()
    renderRoute(<RunDetail />, { path: '/runs/:runId', url: '/runs/run-1234567890' })
    const table = await screen.findByTestId('leaderboard')
    expect(within(table).queryByRole('link', { name: 'SVM' })).not.toBeInTheDocument()
    await user.click(within(table).getByText('0.9700'))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /runs/run-1234567890/models/lda')
  })

  it('a pipeline’s page shows its source model', async () => {
    modelRoutes()
    mockApi({ 'GET /api/v1/pipelines/:id': pipeline })
    renderRoute(<PipelineDetail />, { path: '/pipelines/:pipelineId', url: '/pipelines/pipe1' })
    const section = await screen.findByRole('region', { name: 'Model' })
    expect(await within(section).findByRole('heading', { name: 'Hyperparameters (4)' })).toBeInTheDocument()
    expect(within(section).getByRole('link', { name: 'open the model page' })).toHaveAttribute('href', '/runs/run-1/models/lda')
    await drawnChart('roc')
  })
})
