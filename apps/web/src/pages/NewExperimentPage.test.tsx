import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import type { DataSource, SetupParam, TaskInfo } from '@/api/types'
import NewExperimentPage from '@/pages/NewExperimentPage'
import { experiment, project, samples, setupParams, tasks, upload } from '@/test/fixtures'
import { churnProfile, profile } from '@/test/profileFixtures'
import { renderRoute } from '@/test/render'
import { mockApi, requestsTo, type MockRequest } from '@/test/server'

const moreTasks: TaskInfo[] = [
  ...tasks,
  { id: 'grouping', name: 'Grouping', description: 'No target', target: 'none', inferable: false, model_kind: 'grouping', output: 'cluster' },
  { id: 'oddities', name: 'Oddities', description: 'Maybe a label', target: 'optional', inferable: false, model_kind: 'oddities', output: 'anomaly' },
]

// a forecasting-like task: a required date column, optional numeric columns
const series: TaskInfo = { id: 'series', name: 'Series', description: 'Forecast', target: 'required', inferable: false, model_kind: 'series', output: 'forecast' }
const seriesParams: SetupParam[] = [
  { name: 'when_col', kind: 'column', group: 'Data', default: null, accepts: ['datetime'], required: true, description: 'Times' },
  { name: 'extra_cols', kind: 'column', group: 'Data', default: [], accepts: ['numeric'], required: false, description: 'Numbers' },
]
const dated: DataSource = {
  ...upload, columns: [...upload.columns, { name: 'day', dtype: 'object', kind: 'datetime', missing: 0, unique: 1200, task: null }],
}

/** Name, the dated upload, the series task and target "fee": its one date column is picked. */
async function pickSeriesOnDated(user: ReturnType<typeof userEvent.setup>) {
    await screen.findByRole('option', { name: /customers/ })
    await user.type(screen.getByLabelText('Experiment name'), 'Sales')
    await user.selectOptions(screen.getByLabelText('Data'), 'ds1')
    await user.click(await screen.findByRole('radio', { name: /Series/ }))
    await user.selectOptions(await screen.findByLabelText('Target column'), 'fee')
    expect(await screen.findByLabelText(/When col/)).toHaveValue('day')
}

function setup(offered: TaskInfo[] = tasks, params: SetupParam[] = setupParams, source: DataSource | DataSource[] = upload) {
  const sources = Array.isArray(source) ? source : [source]
  mockApi({
    'GET /api/v1/projects/:id': project,
    'GET /api/v1/workspaces/:ws/data-sources': { data: sources, count: sources.length },
    'GET /api/v1/describe/samples': samples,
    'GET /api/v1/describe/tasks': offered,
    'GET /api/v1/describe/setup-params': params,
    'POST /api/v1/projects/:id/experiments': { ...experiment, id: 'exp-new' },
    'GET /api/v1/data-sources/:id/profile': (req: MockRequest) =>
      req.url.searchParams.get('target') === 'churned' ? churnProfile : profile,
  })
  return renderRoute(<NewExperimentPage />, { path: '/projects/:projectId/experiments/new', url: '/projects/p1/experiments/new' })
}

describe('NewExperimentPage', () => {
  it('shows the profile before the first run: findings, then the target distribution', async () => {
    const user = userEvent.setup()
    setup()
    await screen.findByRole('option', { name: /customers/ })
    await user.selectOptions(screen.getByLabelText('Data'), 'ds1')
    const panel = await screen.findByRole('region', { name: 'Data profile' })
    expect(await within(panel).findByText(/looks like an ID/)).toBeInTheDocument()
    expect(within(panel).queryByTestId('chart')).not.toBeInTheDocument()
    await user.selectOptions(screen.getByLabelText('Target column'), 'churned')
    expect(await within(panel).findByText(/classes are imbalanced/)).toBeInTheDocument()
    const chart = await within(panel).findByTestId('chart')
    expect(chart).toHaveAttribute('data-plot-id', 'target_distribution')
    await waitFor(() => expect(chart).toHaveAttribute('data-state', 'ready'))
    expect(requestsTo('/api/v1/data-sources/ds1/profile').at(-1)?.url.searchParams.get('target')).toBe('churned')
  })

  it('renders settings from describe and sends only what the user changed', async () => {
    const user = userEvent.setup()
    setup()
    await screen.findByRole('option', { name: /customers/ })
    await user.type(screen.getByLabelText('Experiment name'), 'Churn v1')
    await user.selectOptions(screen.getByLabelText('Data'), 'ds1')
    await screen.findByRole('option', { name: 'churned' })
    await user.selectOptions(screen.getByLabelText('Target column'), 'churned')
    await user.click(screen.getByRole('radio', { name: /Binary classification/ }))
    expect(await screen.findByLabelText('Zeta folds')).toHaveValue(5)
    expect(requestsTo('/api/v1/describe/setup-params')[0]?.url.searchParams.get('task')).toBe('binary')
    expect(screen.queryByLabelText('Target')).not.toBeInTheDocument() // the wizard's own field is not repeated
    await user.click(screen.getByLabelText('Kappa scale'))
    await user.selectOptions(screen.getByLabelText('Ignore col'), 'age')
    await user.click(screen.getByRole('button', { name: 'Create experiment' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /experiments/exp-new')
    expect(requestsTo('/api/v1/projects/p1/experiments', 'POST')[0]?.body).toEqual({
      name: 'Churn v1',
      task: 'binary',
      target: 'churned',
      data_source_id: 'ds1',
      setup_params: { kappa_scale: false, ignore_col: 'age' },
    })
  })

  it('prefills target and task from a sample, and sends empty settings when nothing changed', async () => {
    const user = userEvent.setup()
    setup()
    await screen.findByRole('option', { name: /sklearn:iris/ })
    await user.selectOptions(screen.getByLabelText('Data'), 'sklearn:iris')
    expect(screen.getByLabelText('Target column')).toHaveValue('target')
    expect(screen.getByRole('radio', { name: /Multiclass/ })).toBeChecked()
    expect(screen.getByLabelText('Experiment name')).toHaveValue('Iris experiment')
    await screen.findByLabelText('Zeta folds')
    await user.click(screen.getByRole('button', { name: 'Create experiment' }))
    await screen.findByTestId('nav-marker')
    expect(requestsTo('/api/v1/projects/p1/experiments', 'POST')[0]?.body).toEqual({
      name: 'Iris experiment',
      task: 'multiclass',
      target: 'target',
      sklearn_dataset: 'iris',
      setup_params: {},
    })
  })

  it('pre-selects the task the target column implies, and lets the user override it', async () => {
    const user = userEvent.setup()
    setup()
    await screen.findByRole('radio', { name: /Regression/ })
    await screen.findByRole('option', { name: /customers/ })
    await user.type(screen.getByLabelText('Experiment name'), 'Ages')
    await user.selectOptions(screen.getByLabelText('Data'), 'ds1')
    await user.selectOptions(await screen.findByLabelText('Target column'), 'age')
    expect(screen.getByRole('radio', { name: /Regression/ })).toBeChecked()
    expect(screen.getByTestId('task-suggestion')).toHaveTextContent('Pre-selected Regression: “age” is numeric with 60 distinct values.')
    await user.selectOptions(screen.getByLabelText('Target column'), 'plan')
    expect(screen.getByRole('radio', { name: /Multiclass/ })).toBeChecked()
    await user.selectOptions(screen.getByLabelText('Target column'), 'churned')
    expect(screen.getByRole('radio', { name: /Binary/ })).toBeChecked()
    // the server's answer, not a rule of the web's own: few distinct values, but fractions
    await user.selectOptions(screen.getByLabelText('Target column'), 'fee')
    expect(screen.getByRole('radio', { name: /Regression/ })).toBeChecked()
    expect(screen.getByTestId('task-suggestion')).toHaveTextContent('“fee” holds numbers with fractions')
    // no task implied: nothing suggested, the last choice stays
    await user.selectOptions(screen.getByLabelText('Target column'), 'city')
    expect(screen.queryByTestId('task-suggestion')).toBeNull()
    expect(screen.getByRole('radio', { name: /Regression/ })).toBeChecked()

    await user.selectOptions(screen.getByLabelText('Target column'), 'age')
    await user.click(screen.getByRole('radio', { name: /Multiclass/ }))
    expect(screen.getByTestId('task-suggestion')).toHaveTextContent('Suggested Regression (“age” is numeric with 60 distinct values); you chose another task.')
    await screen.findByLabelText('Zeta folds')
    await user.click(screen.getByRole('button', { name: 'Create experiment' }))
    await screen.findByTestId('nav-marker')
    expect(requestsTo('/api/v1/projects/p1/experiments', 'POST')[0]?.body).toMatchObject({ task: 'multiclass', target: 'age' })
  })

  it('sends a target whose header begins or ends with spaces as it is named', async () => {
    const user = userEvent.setup()
    const spaced: DataSource = {
      ...upload, columns: [...upload.columns, { name: ' Monthly fee ', dtype: 'float64', kind: 'numeric', missing: 0, unique: 900,
        task: { task: 'regression', reason: '“ Monthly fee ” is numeric with 900 distinct values' } }],
    }
    setup(tasks, setupParams, spaced)
    await screen.findByRole('option', { name: /customers/ })
    await user.type(screen.getByLabelText('Experiment name'), 'Fees')
    await user.selectOptions(screen.getByLabelText('Data'), 'ds1')
    await user.selectOptions(await screen.findByLabelText('Target column'), ' Monthly fee ')
    expect(screen.getByRole('radio', { name: /Regression/ })).toBeChecked()
    await user.click(screen.getByRole('button', { name: 'Create experiment' }))
    await screen.findByTestId('nav-marker')
    expect(requestsTo('/api/v1/projects/p1/experiments', 'POST')[0]?.body).toMatchObject({ target: ' Monthly fee ' })
  })

  it('never offers the target as a column to ignore', async () => {
    const user = userEvent.setup()
    setup()
    await screen.findByRole('option', { name: /customers/ })
    await user.selectOptions(screen.getByLabelText('Data'), 'ds1')
    await user.selectOptions(await screen.findByLabelText('Target column'), 'churned')
    const offered = async () => [...((await screen.findByLabelText('Skip cols')) as HTMLSelectElement).options].map((o) => o.value)
    expect(await offered()).toEqual(['age', 'plan', 'fee', 'city'])
    await user.selectOptions(screen.getByLabelText('Target column'), 'plan')
    expect(await offered()).toEqual(['age', 'churned', 'fee', 'city'])
  })

  it('hides the target for a task without one, and sends an empty target', async () => {
    const user = userEvent.setup()
    setup(moreTasks)
    await screen.findByRole('option', { name: /customers/ })
    await user.type(screen.getByLabelText('Experiment name'), 'Groups')
    await user.selectOptions(screen.getByLabelText('Data'), 'ds1')
    await user.selectOptions(await screen.findByLabelText('Target column'), 'churned')
    await user.click(screen.getByRole('radio', { name: /Grouping/ }))
    expect(screen.queryByLabelText('Target column')).not.toBeInTheDocument()
    expect(screen.getByTestId('no-target')).toHaveTextContent('Grouping uses no target column.')
    expect(requestsTo('/api/v1/describe/setup-params').at(-1)?.url.searchParams.get('task')).toBe('grouping')
    await screen.findByLabelText('Zeta folds')
    await user.click(screen.getByRole('button', { name: 'Create experiment' }))
    await screen.findByTestId('nav-marker')
    expect(requestsTo('/api/v1/projects/p1/experiments', 'POST')[0]?.body).toMatchObject({ task: 'grouping', target: '' })
  })

  it('offers an optional label column for a task whose target is optional', async () => {
    const user = userEvent.setup()
    setup(moreTasks)
    await screen.findByRole('option', { name: /customers/ })
    await user.type(screen.getByLabelText('Experiment name'), 'Odd')
    await user.selectOptions(screen.getByLabelText('Data'), 'ds1')
    await user.click(await screen.findByRole('radio', { name: /Oddities/ }))
    const label = screen.getByLabelText('Label column (optional)')
    expect(label).not.toBeRequired()
    await screen.findByLabelText('Zeta folds')
    expect(screen.getByRole('button', { name: 'Create experiment' })).toBeEnabled()
    await user.selectOptions(label, 'churned')
    await user.click(screen.getByRole('button', { name: 'Create experiment' }))
    await screen.findByTestId('nav-marker')
    expect(requestsTo('/api/v1/projects/p1/experiments', 'POST')[0]?.body).toMatchObject({ task: 'oddities', target: 'churned' })
  })

  it('offers a column setting only the columns it accepts, and pre-selects the one time column', async () => {
    const user = userEvent.setup()
    setup([...tasks, series], seriesParams, dated)
    await pickSeriesOnDated(user)
    expect([...(screen.getByLabelText('Extra cols') as HTMLSelectElement).options].map((o) => o.value)).toEqual(['age'])
    await user.click(screen.getByRole('button', { name: 'Create experiment' }))
    await screen.findByTestId('nav-marker')
    expect(requestsTo('/api/v1/projects/p1/experiments', 'POST')[0]?.body).toMatchObject({
      task: 'series', target: 'fee', setup_params: { when_col: 'day' },
    })
  })

  it('re-checks column settings against the new table when the data changes after the task', async () => {
    const user = userEvent.setup()
    const params: SetupParam[] = [
      ...seriesParams,
      { name: 'skip_cols', kind: 'column', group: 'Data', default: [], required: false, description: 'Ignored' },
    ]
    const other: DataSource = {
      ...upload, id: 'ds2', name: 'shops',
      columns: [
        { name: 'ts', dtype: 'object', kind: 'datetime', missing: 0, unique: 90, task: null },
        { name: 'age', dtype: 'int64', kind: 'numeric', missing: 0, unique: 60, task: null },
        { name: 'sales', dtype: 'float64', kind: 'numeric', missing: 0, unique: 90, task: null },
        { name: 'city', dtype: 'object', kind: 'categorical', missing: 0, unique: 9, task: null },
      ],
    }
    setup([...tasks, series], params, [dated, other])
    await pickSeriesOnDated(user)
    await user.selectOptions(screen.getByLabelText('Extra cols'), 'age')
    await user.selectOptions(screen.getByLabelText('Skip cols'), ['plan', 'city'])
    await user.selectOptions(screen.getByLabelText('Data'), 'ds2')
    // the new table's only date column, its own columns kept, the old table's dropped
    await waitFor(() => expect(screen.getByLabelText(/When col/)).toHaveValue('ts'))
    expect(screen.getByLabelText('Target column')).toHaveValue('')
    await user.selectOptions(screen.getByLabelText('Target column'), 'sales')
    await user.click(screen.getByRole('button', { name: 'Create experiment' }))
    await screen.findByTestId('nav-marker')
    expect(requestsTo('/api/v1/projects/p1/experiments', 'POST')[0]?.body).toEqual(expect.objectContaining({
      data_source_id: 'ds2', task: 'series', target: 'sales',
      setup_params: { when_col: 'ts', extra_cols: ['age'], skip_cols: ['city'] },
    }))
  })
})
