import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import DataSourcePage from '@/pages/DataSourcePage'
import { upload } from '@/test/fixtures'
import { churnProfile, profile } from '@/test/profileFixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo, type Handler } from '@/test/server'

const PREVIEW = { columns: ['age'], rows: [{ age: 41 }] }

function setup(answer: Handler | object) {
  mockApi({
    'GET /api/v1/data-sources/:id': upload,
    'GET /api/v1/data-sources/:id/preview': PREVIEW,
    'GET /api/v1/data-sources/:id/profile': answer,
  })
  renderRoute(<DataSourcePage />, { path: '/data-sources/:dataSourceId', url: '/data-sources/ds1' })
}

/** The drawn chart of a plot id, once the lazily loaded library has drawn it. */
async function drawnChart(plotId: string): Promise<HTMLElement> {
  const chart = await waitFor(() => {
    const el = document.querySelector<HTMLElement>(`[data-testid="chart"][data-plot-id="${plotId}"]`)
    expect(el?.dataset.state).toBe('ready')
    return el as HTMLElement
  })
  expect(chart.querySelector('svg')).not.toBeNull()
  return chart
}

describe('DataSourcePage profile', () => {
  it('shows the column statistics, histograms, correlations and findings', async () => {
    setup(profile)
    const table = await screen.findByRole('table', { name: 'Columns' })
    const age = within(table).getByText('age').closest('tr') as HTMLElement
    expect(age).toHaveTextContent('40.50') // median
    expect(age).toHaveTextContent('41.25') // mean
    const plan = within(table).getByText('plan').closest('tr') as HTMLElement
    expect(plan).toHaveTextContent('2 (0.2%)')
    expect(plan).toHaveTextContent('pro (58.3%), basic (33.3%)')
    const hist = await drawnChart('histogram:age')
    expect(hist.querySelectorAll('g[aria-label="rect"] rect')).toHaveLength(3)
    await drawnChart('histogram:plan')
    await drawnChart('correlation_pearson')
    expect(screen.getByRole('list', { name: 'Findings' })).toHaveTextContent("column 'customer_id' looks like an ID")
    expect(screen.getByText('every statistic and plot uses all 1,200 rows')).toBeInTheDocument()
  })

  it('profiles against a chosen target', async () => {
    const user = userEvent.setup()
    setup((req: { url: URL }) => (req.url.searchParams.get('target') === 'churned' ? churnProfile : profile))
    await screen.findByRole('table', { name: 'Columns' })
    await user.selectOptions(screen.getByLabelText('Profile against a target'), 'churned')
    expect(await screen.findByText('Task setup would infer: binary')).toBeInTheDocument()
    await drawnChart('target_distribution')
    expect(requestsTo('/api/v1/data-sources/ds1/profile').at(-1)?.url.searchParams.get('target')).toBe('churned')
  })

  it('says a worker is on it while the server answers 202', async () => {
    setup(() => reply(202, { data_source_id: 'ds1', target: null, status: 'running', detail: 'the profile is running' }))
    expect(await screen.findByText('A worker is profiling this table…')).toBeInTheDocument()
  })

  it('shows why the profile failed', async () => {
    setup(() => reply(409, { detail: "the profile of data source 'customers' could not be computed: boom" }))
    expect(await screen.findByText(/could not be computed: boom/)).toBeInTheDocument()
  })
})

describe('DataSourcePage profile of a wide table', () => {
  it('draws the first histograms and the rest on request', async () => {
    const user = userEvent.setup()
    const base = profile.columns[0]!
    const columns = Array.from({ length: 14 }, (_, i) => ({ ...base, name: `c${i}`, histogram: { ...base.histogram!, id: `histogram:c${i}` } }))
    setup({ ...profile, columns, correlations: [] })
    await screen.findByRole('table', { name: 'Columns' })
    expect(screen.getAllByTestId('chart')).toHaveLength(12)
    await user.click(screen.getByRole('button', { name: 'Show all 14 histograms' }))
    expect(screen.getAllByTestId('chart')).toHaveLength(14)
  })
})
