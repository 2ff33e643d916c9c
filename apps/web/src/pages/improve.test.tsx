/** The run page's improvement loop: tick rows → Blend / Stack, a row's menu → Tune / Ensemble, trials. */
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import RunDetail from '@/pages/RunDetail'
import { useAuthStore } from '@/stores/auth'
import { FakeWebSocket } from '@/test/FakeWebSocket'
import { experiment, makeRun, models, plans } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo, type MockRequest } from '@/test/server'

const RUN = 'run-1234567890'
const board = {
  columns: ['Model', 'Accuracy'],
  rows: [
    { model_id: 'lr', Model: 'Logistic Regression', Accuracy: 0.95 },
    { model_id: 'rf', Model: 'Random Forest', Accuracy: 0.94 },
    { model_id: 'knn', Model: 'K Neighbors', Accuracy: null, Error: 'ValueError: boom' },
    { model_id: 'dt', Model: 'Decision Tree', Accuracy: 0.91 },
  ],
}

function setup(run = makeRun({ status: 'succeeded', finished_at: '2026-11-28T10:00:09Z', leaderboard: board })) {
  useAuthStore.getState().setTokens({ access_token: 'tok', refresh_token: 'r' })
  mockApi({
    'GET /api/v1/runs/:id': run,
    'GET /api/v1/describe/plans': plans,
    'GET /api/v1/experiments/:id': experiment,
    'GET /api/v1/describe/models': models,
    'GET /api/v1/describe/metrics': [
      { id: 'Accuracy', name: 'Accuracy', greater_is_better: true, default_sort: true },
      { id: 'F1', name: 'F1 score', greater_is_better: true, default_sort: false },
    ],
    'POST /api/v1/experiments/:id/runs': makeRun({ id: 'run-new', status: 'queued', plan: 'blend' }),
  })
  return renderRoute(<RunDetail />, { path: '/runs/:runId', url: `/runs/${RUN}` })
}

/** The new run's page is the same route: follow the router, not a marker. */
async function opened(router: ReturnType<typeof setup>['router']) {
  await waitFor(() => expect(router.state.location.pathname).toBe('/runs/run-new'))
}

describe('Improve from the run page', () => {
  it('offers only the improving plans the run’s task has (none for a task like clustering)', async () => {
    const run = makeRun({ status: 'succeeded', finished_at: '2026-11-28T10:00:09Z', leaderboard: board, result: { task: 'grouping' } })
    setup(run)
    const own = plans.filter((p) => ['setup', 'create', 'compare'].includes(p.id))
    mockApi({ 'GET /api/v1/describe/plans': (req: MockRequest) => (req.url.searchParams.get('task') === 'grouping' ? own : plans) })
    await screen.findByText('Decision Tree')
    await waitFor(() => expect(requestsTo('/api/v1/describe/plans').some((r) => r.url.searchParams.get('task') === 'grouping')).toBe(true))
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Blend' })).not.toBeInTheDocument())
    expect(screen.queryByRole('button', { name: 'Improve Decision Tree' })).not.toBeInTheDocument()
    expect(screen.queryByRole('checkbox', { name: 'Select Decision Tree' })).not.toBeInTheDocument()
  })

  it('ticks rows, blends them with the chosen options, and opens the new run', async () => {
    const user = userEvent.setup()
    const { router } = setup()
    const blend = await screen.findByRole('button', { name: 'Blend' })
    expect(blend).toBeDisabled()
    expect(screen.queryByRole('checkbox', { name: 'Select K Neighbors' })).not.toBeInTheDocument() // failed row
    await user.click(screen.getByRole('checkbox', { name: 'Select Decision Tree' }))
    expect(blend).toBeDisabled() // one model is no blend
    await user.click(screen.getByRole('checkbox', { name: 'Select Logistic Regression' }))
    expect(screen.getByTestId('selected-count')).toHaveTextContent('2 selected')
    await user.click(blend)
    const form = await screen.findByRole('form', { name: 'Blend options' })
    expect(within(form).getByText('lr')).toBeInTheDocument()
    await user.selectOptions(within(form).getByLabelText('Method'), 'hard')
    await user.type(within(form).getByLabelText('Weights'), '2, 1')
    await user.click(within(form).getByRole('button', { name: 'Start blend' }))
    await opened(router)
    expect(requestsTo('/api/v1/experiments/exp1/runs', 'POST')[0]?.body).toEqual({
      plan: 'blend',
      // leaderboard order, whatever order the rows were ticked in; defaults are not sent
      plan_params: { source_run_id: RUN, model_ids: ['lr', 'dt'], method: 'hard', weights: [2, 1] },
    })
  })

  it('stacks the ticked rows with the defaults', async () => {
    const user = userEvent.setup()
    const { router } = setup()
    await user.click(await screen.findByRole('checkbox', { name: 'Select Random Forest' }))
    await user.click(screen.getByRole('checkbox', { name: 'Select Decision Tree' }))
    await user.click(screen.getByRole('button', { name: 'Stack' }))
    const form = await screen.findByRole('form', { name: 'Stack options' })
    expect(within(form).getByLabelText('Give the meta model the features too')).not.toBeChecked()
    await user.click(within(form).getByRole('button', { name: 'Start stack' }))
    await opened(router)
    expect(requestsTo('/api/v1/experiments/exp1/runs', 'POST')[0]?.body).toEqual({
      plan: 'stack',
      plan_params: { source_run_id: RUN, model_ids: ['rf', 'dt'] },
    })
  })

  it('tunes a model from its row menu, and shows the server’s refusal in its words', async () => {
    const user = userEvent.setup()
    setup()
    await user.click(await screen.findByRole('button', { name: 'Improve Random Forest' }))
    const menu = screen.getByRole('menu', { name: 'Improve Random Forest' })
    expect(within(menu).getAllByRole('menuitem').map((m) => m.textContent)).toEqual(['Tune', 'Ensemble'])
    await user.click(within(menu).getByRole('menuitem', { name: 'Tune' }))
    const form = await screen.findByRole('form', { name: 'Tune options' })
    await user.type(within(form).getByLabelText('Trials'), '1.5')
    expect(within(form).getByText('Enter a whole number.')).toBeInTheDocument()
    expect(within(form).getByRole('button', { name: 'Start tune' })).toBeDisabled()
    await user.clear(within(form).getByLabelText('Trials'))
    await user.type(within(form).getByLabelText('Trials'), '30')
    await user.selectOptions(within(form).getByLabelText('Sort by'), 'F1 score (F1)')
    mockApi({ 'POST /api/v1/experiments/:id/runs': reply(409, { detail: 'run run-1234 has no model rf_x; pick one of its leaderboard' }) })
    await user.click(within(form).getByRole('button', { name: 'Start tune' }))
    expect(await within(form).findByRole('alert')).toHaveTextContent('has no model rf_x')
    expect(requestsTo('/api/v1/experiments/exp1/runs', 'POST')[0]?.body).toEqual({
      plan: 'tune',
      plan_params: { source_run_id: RUN, model_id: 'rf', n_trials: 30, sort: 'F1' },
    })
  })

  it('ensembles a model from its row menu and opens the new run', async () => {
    const user = userEvent.setup()
    const { router } = setup()
    await user.click(await screen.findByRole('button', { name: 'Improve Decision Tree' }))
    await user.click(screen.getByRole('menuitem', { name: 'Ensemble' }))
    const form = await screen.findByRole('form', { name: 'Ensemble options' })
    expect(within(form).getByLabelText('Estimators')).toHaveValue(10)
    await user.selectOptions(within(form).getByLabelText('Method'), 'boosting')
    await user.click(within(form).getByRole('button', { name: 'Start ensemble' }))
    await opened(router)
    expect(requestsTo('/api/v1/experiments/exp1/runs', 'POST')[0]?.body).toEqual({
      plan: 'ensemble',
      plan_params: { source_run_id: RUN, model_id: 'dt', method: 'boosting' },
    })
  })

  it('offers nothing to improve while the run is pending', async () => {
    setup(makeRun({ status: 'running', leaderboard: board }))
    await screen.findByTestId('leaderboard')
    expect(screen.queryByRole('button', { name: 'Blend' })).not.toBeInTheDocument()
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /^Improve / })).not.toBeInTheDocument()
  })

  it('shows a tune run’s trials as they end: table and best-so-far curve, from the one stream', async () => {
    setup(makeRun({ plan: 'tune', status: 'running', plan_params: { source_run_id: 'run-src', model_id: 'rf', sort: 'AUC' } }))
    await screen.findByTestId('status-badge')
    const ws = FakeWebSocket.last()
    const trial = (id: number, n: number, state: string, score: number | null, best: number, params = {}) => ({
      id, run_id: RUN, ts: '2026-11-28T10:00:01Z', kind: 'trial.finished', duration_ms: null,
      payload: { model_id: 'rf', trial: n, params, score, state, best_score: best, progress: { models_done: n + 1, models_total: 31, elapsed_s: 1, eta_s: 20, unit: 'trials' } },
    })
    act(() => {
      ws._open()
      ws._message(trial(1, 0, 'complete', 0.91, 0.91))
      ws._message(trial(2, 1, 'pruned', 0.7, 0.91, { max_depth: 2 }))
      ws._message(trial(3, 2, 'complete', 0.93456, 0.93456, { max_depth: 9, n_estimators: 300 }))
      ws._message(trial(3, 2, 'complete', 0.93456, 0.93456)) // a replayed event is not a new trial
    })
    const rows = await screen.findAllByTestId('trial-row')
    expect(rows).toHaveLength(3)
    expect(within(rows[0]!).getByText('as given')).toBeInTheDocument()
    expect(rows[1]).toHaveTextContent('pruned')
    expect(rows[2]).toHaveTextContent('max_depth=9, n_estimators=300')
    expect(rows[2]).toHaveTextContent('0.9346')
    expect(screen.getByTestId('trials-count')).toHaveTextContent('3 trials, 2 complete')
    expect(screen.getByTestId('run-progress')).toHaveTextContent('3 of 31 trials · about 20.0s left') // the engine's unit
    const chart = screen.getByTestId('chart')
    expect(chart).toHaveAttribute('data-plot-id', 'best_so_far')
    expect(within(chart).getByText('1 pruned after their first folds.', { exact: false })).toBeInTheDocument()
    expect(FakeWebSocket.instances).toHaveLength(1) // trials ride on the page's one socket
  })

  it('shows the stored trials of a finished run whose events are gone', async () => {
    setup(makeRun({
      plan: 'tune', status: 'succeeded', finished_at: '2026-11-28T10:00:09Z', leaderboard: board,
      result: { model_id: 'rf_tuned', sort: 'Accuracy', trials: [
        { model_id: 'rf', trial: 0, params: {}, score: 0.9, state: 'complete' },
        { model_id: 'rf', trial: 1, params: { max_depth: 4 }, score: 0.92, state: 'complete' },
      ] },
    }))
    const rows = await screen.findAllByTestId('trial-row')
    expect(rows).toHaveLength(2)
    expect(rows[1]).toHaveTextContent('max_depth=4')
  })
})
