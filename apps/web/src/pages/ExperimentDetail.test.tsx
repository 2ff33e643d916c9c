import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'

import type { Experiment } from '@/api/types'
import ExperimentDetail from '@/pages/ExperimentDetail'
import { experiment, makeRun, models, plans, project, samples, setupParams, upload, workspace } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

const DEFAULT_RUNS = [makeRun({ id: 'run-aaaaaaaa1', status: 'succeeded', finished_at: '2026-11-28T10:00:12Z' })]

function setup(runs = DEFAULT_RUNS, x: Experiment = experiment) {
  mockApi({
    'GET /api/v1/experiments/:id': x,
    'GET /api/v1/projects/:id': project,
    'GET /api/v1/workspaces/:ws': workspace,
    'GET /api/v1/experiments/:id/runs': { data: runs, count: runs.length },
    'GET /api/v1/describe/models': models,
    'GET /api/v1/describe/metrics': [
      { id: 'Accuracy', name: 'Accuracy', greater_is_better: true, default_sort: true },
      { id: 'F1', name: 'F1 score', greater_is_better: true, default_sort: false },
    ],
    'GET /api/v1/workspaces/:ws/data-sources': { data: [upload], count: 1 },
    'GET /api/v1/describe/samples': samples,
    'GET /api/v1/describe/setup-params': setupParams,
    'GET /api/v1/describe/plans': plans,
  })
  return renderRoute(<ExperimentDetail />, { path: '/experiments/:experimentId', url: '/experiments/exp1' })
}

describe('ExperimentDetail', () => {
  it('shows the configuration and the runs; a row opens its run', async () => {
    const user = userEvent.setup()
    setup()
    expect(await screen.findByRole('heading', { name: 'Iris first try' })).toBeInTheDocument()
    const config = screen.getByLabelText('Experiment configuration')
    expect(within(config).getByText('multiclass')).toBeInTheDocument()
    const row = await screen.findByTestId('run-row')
    expect(within(row).getByText('succeeded')).toBeInTheDocument()
    expect(within(row).getByText('12.0s')).toBeInTheDocument()
    await user.click(within(row).getByText('compare'))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /runs/run-aaaaaaaa1')
  })

  it('compares two or more finished runs: tick them, then Compare', async () => {
    const user = userEvent.setup()
    const board = { columns: ['Model', 'AUC'], rows: [{ model_id: 'lr', Model: 'LR', AUC: 0.8 }] }
    setup([
      makeRun({ id: 'run-aaaaaaaa1', status: 'succeeded', leaderboard: board }),
      makeRun({ id: 'run-bbbbbbbb2', status: 'succeeded', leaderboard: board, created_at: '2026-11-28T09:00:00Z' }),
      makeRun({ id: 'run-cccccccc3', status: 'running', created_at: '2026-11-28T08:00:00Z' }),
    ])
    const compare = await screen.findByRole('button', { name: 'Compare runs' })
    expect(compare).toBeDisabled()
    expect(screen.getByRole('checkbox', { name: 'Select run run-cccc to compare' })).toBeDisabled()
    await user.click(screen.getByRole('checkbox', { name: 'Select run run-aaaa to compare' }))
    expect(screen.queryByTestId('nav-marker')).not.toBeInTheDocument() // ticking does not open the run
    await user.click(screen.getByRole('checkbox', { name: 'Select run run-bbbb to compare' }))
    await user.click(screen.getByRole('button', { name: 'Compare 2 runs' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /experiments/exp1/compare')
  })

  it('shows every setup parameter, labelled: the wizard’s choices marked set, the rest at their default', async () => {
    setup([], { ...experiment, setup_params: { zeta_folds: 3, impute_how: 'median', ignore_col: 'plan', legacy_knob: true } })
    expect(await screen.findByText('Omega ratio')).toBeInTheDocument()
    expect(screen.getByTestId('config-zeta_folds')).toHaveTextContent('3set')
    expect(screen.getByTestId('config-impute_how')).toHaveTextContent('medianset')
    expect(screen.getByTestId('config-ignore_col')).toHaveTextContent('planset')
    expect(screen.getByTestId('config-omega_ratio')).toHaveTextContent('0.7000default')
    expect(screen.getByTestId('config-kappa_scale')).toHaveTextContent('truedefault')
    expect(screen.getByTestId('config-legacy_knob')).toHaveTextContent('trueset')
    expect(screen.getByText('Omega ratio').closest('dt')).toHaveAttribute('title', 'Train share')
  })

  it('shows each run’s best model and its score by the sort metric', async () => {
    setup([
      makeRun({ id: 'run-best00001', status: 'succeeded', best: { model_id: 'rf', model: 'Random Forest', metric: 'AUC', score: 0.97123 } }),
      makeRun({ id: 'run-none00002', status: 'running', created_at: '2026-11-28T09:00:00Z' }),
    ])
    const [done, pending] = await screen.findAllByTestId('run-row')
    expect(within(done!).getByText('Random Forest')).toBeInTheDocument()
    expect(within(done!).getByTestId('run-best-score')).toHaveTextContent('AUC0.9712')
    expect(within(done!).getByTestId('run-best-score')).toHaveAttribute('title', 'AUC 0.97123')
    expect(within(pending!).queryByTestId('run-best-score')).toBeNull()
  })

  it('marks the table live while a run is pending', async () => {
    setup([makeRun({ status: 'queued' })])
    expect(await screen.findByText('● updating live')).toBeInTheDocument()
  })

  it('submits a create run with the picked model and a sample, then opens the run', async () => {
    const user = userEvent.setup()
    setup([], { ...experiment, task: 'regression', target: 'target', sklearn_dataset: 'diabetes' })
    mockApi({ 'POST /api/v1/experiments/:id/runs': makeRun({ id: 'run-new', status: 'queued', plan: 'create' }) })
    expect(await screen.findByText('No runs yet')).toBeInTheDocument()
    await user.selectOptions(await screen.findByLabelText('Plan'), 'create')
    const start = screen.getByRole('button', { name: 'Start run' })
    expect(start).toBeDisabled()
    const modelSelect = screen.getByLabelText('Model')
    expect(within(modelSelect).getByRole('option', { name: /CatBoost.*\(install required\)/ })).toBeDisabled()
    await user.selectOptions(modelSelect, 'lr')
    await screen.findByRole('option', { name: /customers/ })
    await user.selectOptions(screen.getByLabelText('Data source'), 'sklearn:diabetes')
    await user.click(start)
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /runs/run-new')
    expect(requestsTo('/api/v1/experiments/exp1/runs', 'POST')[0]?.body).toEqual({ plan: 'create', model_id: 'lr', sklearn_dataset: 'diabetes' })
  })

  it('offers Auto first, with its budget, and sends the budget the user set', async () => {
    const user = userEvent.setup()
    setup([])
    mockApi({ 'POST /api/v1/experiments/:id/runs': makeRun({ id: 'run-auto', status: 'queued', plan: 'auto' }) })
    const plan = await screen.findByLabelText('Plan')
    const offered = within(plan).getAllByRole('option').map((o) => (o as HTMLOptionElement).value)
    expect(offered).toEqual(['auto', 'compare', 'create', 'setup']) // the improving plans start from a run
    // the plans the experiment's task offers (a task may offer fewer: the server says which)
    expect(requestsTo('/api/v1/describe/plans').at(-1)?.url.searchParams.get('task')).toBe(experiment.task)
    expect(plan).toHaveValue('auto')
    const budget = screen.getByLabelText('Time budget (seconds)')
    expect(budget).toHaveValue(300)
    await user.clear(budget)
    await user.type(budget, '60')
    await user.click(screen.getByRole('button', { name: 'Start run' }))
    await screen.findByTestId('nav-marker')
    expect(requestsTo('/api/v1/experiments/exp1/runs', 'POST')[0]?.body).toEqual({ plan: 'auto', plan_params: { budget_s: 60 } })
  })

  it('refuses a budget that is not a positive number before sending', async () => {
    const user = userEvent.setup()
    setup([])
    const budget = await screen.findByLabelText('Time budget (seconds)')
    await user.clear(budget)
    await user.type(budget, '-5')
    expect(screen.getByText('Must be more than 0.')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Start run' })).toBeDisabled()
  })

  it('sends only the compare options the user set as plan_params', async () => {
    const user = userEvent.setup()
    setup([])
    mockApi({ 'POST /api/v1/experiments/:id/runs': makeRun({ id: 'run-cmp', status: 'queued' }) })
    await user.selectOptions(await screen.findByLabelText('Plan'), 'compare')
    const picker = await screen.findByLabelText('Models')
    await screen.findByRole('option', { name: 'F1 score (F1)' })
    expect(within(picker).queryByRole('option', { name: 'CatBoost' })).not.toBeInTheDocument()
    await user.selectOptions(picker, ['lr'])
    await user.selectOptions(screen.getByLabelText('Sort by'), 'F1 score (F1)')
    await user.type(screen.getByLabelText('Time budget (seconds)'), '30')
    await user.click(screen.getByRole('button', { name: 'Start run' }))
    await screen.findByTestId('nav-marker')
    expect(requestsTo('/api/v1/experiments/exp1/runs', 'POST')[0]?.body).toEqual({
      plan: 'compare',
      plan_params: { models: ['lr'], sort: 'F1', budget_s: 30 },
    })
  })

  it('offers only the data sources the experiment can use, saying why the others are disabled', async () => {
    setup([], { ...experiment, task: 'binary', target: 'churned' })
    const customers = await screen.findByRole('option', { name: /customers/ })
    expect(customers).toBeEnabled()
    const iris = screen.getByRole('option', { name: /sklearn:iris/ })
    expect(iris).toBeDisabled()
    expect(iris).toHaveTextContent("its target is 'target', not 'churned'")
  })

  it('sends an upload as data_source_id, and shows the server’s refusal', async () => {
    const user = userEvent.setup()
    setup([], { ...experiment, task: 'binary', target: 'churned' })
    mockApi({ 'POST /api/v1/experiments/:id/runs': reply(400, { detail: 'Target column "churned" has missing values.' }) })
    await screen.findByRole('option', { name: /customers/ })
    await user.selectOptions(screen.getByLabelText('Data source'), 'ds1')
    await user.click(screen.getByRole('button', { name: 'Start run' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Target column "churned" has missing values.')
    expect(requestsTo('/api/v1/experiments/exp1/runs', 'POST')[0]?.body).toEqual({ plan: 'auto', data_source_id: 'ds1' })
  })

  it('names its uploaded data source (linked), never its UUID', async () => {
    const id = '0b7e5f1c-2d4a-4c1e-9a57-0d7c4e1b9f33'
    mockApi({ 'GET /api/v1/data-sources/:id': { ...upload, id } })
    setup([], { ...experiment, sklearn_dataset: null, data_source_id: id })
    const data = await screen.findByRole('link', { name: 'customers' })
    expect(data).toHaveAttribute('href', `/data-sources/${id}`)
    expect(within(screen.getByLabelText('Experiment configuration')).getByText('customers')).toBeInTheDocument()
    expect(screen.queryByText(id)).not.toBeInTheDocument()
  })

  it('says so when its data source was deleted', async () => {
    const id = '0b7e5f1c-2d4a-4c1e-9a57-0d7c4e1b9f33'
    mockApi({ 'GET /api/v1/data-sources/:id': reply(404, { detail: 'data source not found' }) })
    setup([], { ...experiment, sklearn_dataset: null, data_source_id: id })
    await vi.waitFor(() => expect(screen.getByTestId('experiment-data')).toHaveTextContent('a deleted data source'))
    expect(screen.queryByText(id)).not.toBeInTheDocument()
  })

  it('shows "Experiment not found" for an unknown id', async () => {
    mockApi({
      'GET /api/v1/experiments/:id': reply(404, { detail: 'experiment not found' }),
      'GET /api/v1/experiments/:id/runs': reply(404, { detail: 'experiment not found' }),
    })
    renderRoute(<ExperimentDetail />, { path: '/experiments/:experimentId', url: '/experiments/nope' })
    expect(await screen.findByRole('heading', { name: 'Experiment not found' })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Back to workspaces' })).toBeInTheDocument()
  })
})
