import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it, vi } from 'vitest'

import type { Explanation } from '@/api/types'
import DeploymentDetail from '@/pages/DeploymentDetail'
import { useAuthStore } from '@/stores/auth'
import PipelineDetail from '@/pages/PipelineDetail'
import PipelinesPage from '@/pages/PipelinesPage'
import { deployment, model, pipeline, deploymentPanelRoutes } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

// A pipeline's page shows its source model's view; these tests are about the rest of the page.
beforeEach(() => mockApi({ 'GET /api/v1/runs/:run/models/:model': { ...model, plots: [] } }))

describe('PipelineDetail', () => {
  it('shows metrics, checksum, manifest; validates the slug and deploys', async () => {
    const user = userEvent.setup()
    mockApi({ 'GET /api/v1/pipelines/:id': pipeline, 'POST /api/v1/pipelines/:id/deployments': deployment })
    renderRoute(<PipelineDetail />, { path: '/pipelines/:pipelineId', url: '/pipelines/pipe1' })
    expect(await screen.findByRole('group', { name: 'cv · Accuracy' })).toHaveTextContent('0.9667')
    expect(screen.getByTestId('pipeline-sha256')).toHaveTextContent('a'.repeat(64))
    const manifest = screen.getByLabelText('Manifest', { selector: 'dl' })
    expect(within(manifest).getByText('multiclass')).toBeInTheDocument()
    expect(within(manifest).getByText(/1\.9\.1/)).toBeInTheDocument()
    expect(screen.getByRole('table', { name: 'Input schema' })).toHaveTextContent('sepal_length')

    const slug = screen.getByLabelText('Endpoint slug')
    expect(slug).toHaveValue('iris-best')
    await user.clear(slug)
    await user.type(slug, 'iris best')
    expect(screen.getByText('Use only lowercase letters, digits and dashes.')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Deploy' })).toBeDisabled()
    await user.clear(slug)
    await user.type(slug, 'iris-best')
    await user.click(screen.getByRole('radio', { name: /API key/ }))
    await user.click(screen.getByRole('button', { name: 'Deploy' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /deployments/dep1')
    expect(requestsTo('/api/v1/pipelines/pipe1/deployments')[0]?.body).toEqual({ slug: 'iris-best', auth_mode: 'api-key' })
  })

  it('downloads the artifact with the bearer token', async () => {
    const user = userEvent.setup()
    useAuthStore.getState().setTokens({ access_token: 'tok', refresh_token: 'r' })
    const created = vi.fn(() => 'blob:zip')
    URL.createObjectURL = created
    URL.revokeObjectURL = vi.fn()
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    mockApi({
      'GET /api/v1/pipelines/:id': pipeline,
      'GET /api/v1/pipelines/:id/download': () => new Response('PK', { status: 200, headers: { 'Content-Type': 'application/zip' } }),
    })
    renderRoute(<PipelineDetail />, { path: '/pipelines/:pipelineId', url: '/pipelines/pipe1' })
    await user.click(await screen.findByRole('button', { name: 'Download artifact' }))
    await vi.waitFor(() => expect(click).toHaveBeenCalled())
    expect(created).toHaveBeenCalledTimes(1)
    expect(requestsTo('/api/v1/pipelines/pipe1/download')[0]?.headers.get('Authorization')).toBe('Bearer tok')
  })
})

describe('DeploymentDetail', () => {
  it('shows the stat cards, tries a prediction and shows it in a table with the latency', async () => {
    const user = userEvent.setup()
    mockApi({
      'GET /api/v1/deployments/:id': deployment,
      'GET /api/v1/pipelines/:id': pipeline,
      'GET /api/v1/deployments/:id/predictions': { data: [], count: 0 },
      ...deploymentPanelRoutes,
      'POST /api/v1/deployments/:slug/predict': { predictions: ['setosa'], probabilities: [{ setosa: 0.98, versicolor: 0.02 }], ignored_columns: ['flower_id'], latency_ms: 3.2, request_id: 'req-1' },
    })
    renderRoute(<DeploymentDetail />, { path: '/deployments/:deploymentId', url: '/deployments/dep1' })
    expect(await screen.findByRole('group', { name: 'Requests' })).toHaveTextContent('12')
    expect(screen.getByRole('group', { name: 'Errors' })).toHaveTextContent('1')
    expect(screen.getByRole('group', { name: 'p50 latency' })).toHaveTextContent('2.4ms')
    expect(screen.getByRole('group', { name: 'p95 latency' })).toHaveTextContent('6.1ms')
    const editor = await screen.findByLabelText('Rows (JSON)')
    expect(JSON.parse((editor as HTMLTextAreaElement).value)).toEqual([{ sepal_length: 0 }])
    await user.clear(editor)
    await user.type(editor, 'not json')
    await user.click(screen.getByRole('button', { name: 'Predict' }))
    expect(screen.getByText(/Not valid JSON/)).toBeInTheDocument()
    await user.clear(editor)
    await user.click(editor)
    await user.paste('[{"sepal_length": 5.1}]')
    await user.click(screen.getByRole('button', { name: 'Predict' }))
    expect(await screen.findByText('setosa')).toBeInTheDocument()
    expect(screen.getByText('P(setosa)')).toBeInTheDocument()
    expect(screen.getByTestId('predict-latency')).toHaveTextContent('1 prediction in 3.2ms')
    expect(screen.getByTestId('predict-ignored')).toHaveTextContent('Ignored, the model does not read them: flower_id')
    expect(requestsTo('/api/v1/deployments/iris-best/predict')[0]?.body).toEqual({ rows: [{ sepal_length: 5.1 }] })
  })

  it('pre-fills the tester with the pipeline’s first example row', async () => {
    mockApi({
      'GET /api/v1/deployments/:id': deployment,
      'GET /api/v1/pipelines/:id': { ...pipeline, examples: [{ sepal_length: 5.9 }, { sepal_length: 4.4 }] },
      'GET /api/v1/deployments/:id/predictions': { data: [], count: 0 },
      ...deploymentPanelRoutes,
    })
    renderRoute(<DeploymentDetail />, { path: '/deployments/:deploymentId', url: '/deployments/dep1' })
    const editor = await screen.findByLabelText('Rows (JSON)')
    expect(JSON.parse((editor as HTMLTextAreaElement).value)).toEqual([{ sepal_length: 5.9 }])
  })

  it('pauses a deployment and shows a refused prediction in the server’s words', async () => {
    const user = userEvent.setup()
    let current = deployment
    mockApi({
      'GET /api/v1/deployments/:id': () => current,
      'PATCH /api/v1/deployments/:id': (req) => (current = { ...deployment, ...(req.body as object) }),
      'GET /api/v1/pipelines/:id': pipeline,
      'GET /api/v1/deployments/:id/predictions': { data: [{ id: 'l1', request_id: 'req-9', status_code: 422, latency_ms: 1, request: {}, response: {}, created_at: '2026-11-28T10:00:00Z' }], count: 1 },
      ...deploymentPanelRoutes,
      'POST /api/v1/deployments/:slug/predict': reply(422, { detail: 'Missing column: sepal_width' }),
    })
    renderRoute(<DeploymentDetail />, { path: '/deployments/:deploymentId', url: '/deployments/dep1' })
    await user.click(await screen.findByRole('button', { name: 'Pause' }))
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeInTheDocument()
    expect(requestsTo('/api/v1/deployments/dep1', 'PATCH')[0]?.body).toEqual({ status: 'paused' })
    await user.click(screen.getByRole('button', { name: 'Predict' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Missing column: sepal_width')
    expect(screen.getByRole('table', { name: 'Recent requests' })).toHaveTextContent('req-9')
  })
})

describe('PipelinesPage', () => {
  it('shows each pipeline’s headline metric: the run’s sort metric, else the first CV score', async () => {
    const sorted = { ...pipeline, id: 'pipe2', name: 'churn', metrics: { cv: { Accuracy: 0.81, AUC: 0.93456 }, sort: 'AUC' } }
    const bare = { ...pipeline, id: 'pipe3', name: 'empty', metrics: {} }
    mockApi({ 'GET /api/v1/workspaces/:ws/pipelines': { data: [pipeline, sorted, bare], count: 3 } })
    renderRoute(<PipelinesPage />, { path: '/workspaces/:workspaceId/pipelines', url: '/workspaces/ws1/pipelines' })
    const rows = within(await screen.findByRole('table', { name: 'Pipelines' })).getAllByRole('row').slice(1)
    expect(within(rows[0]!).getByTestId('pipeline-metric')).toHaveTextContent('Accuracy0.9667')
    expect(within(rows[1]!).getByTestId('pipeline-metric')).toHaveTextContent('AUC0.9346')
    expect(within(rows[1]!).getByTestId('pipeline-metric')).toHaveAttribute('title', 'AUC 0.93456')
    expect(within(rows[2]!).queryByTestId('pipeline-metric')).toBeNull()
  })
})

const EXPLAINED: Explanation = {
  base_value: 0.33,
  output: 'probability',
  label: 'setosa',
  contributions: [
    { column: 'petal_length', value: 1.4, contribution: 0.4 },
    { column: 'sepal_width', value: 3.5, contribution: -0.1 },
    { column: 'color', value: null, contribution: 0.05 },
  ],
  rest: 0.02,
}

describe('DeploymentDetail explanations', () => {
  it('asks for explanations when ticked and shows them under the predictions', async () => {
    const user = userEvent.setup()
    mockApi({
      'GET /api/v1/deployments/:id': deployment,
      'GET /api/v1/pipelines/:id': pipeline,
      'GET /api/v1/deployments/:id/predictions': { data: [], count: 0 },
      ...deploymentPanelRoutes,
      'POST /api/v1/deployments/:slug/predict': {
        predictions: ['setosa'],
        probabilities: [{ setosa: 0.7, versicolor: 0.3 }],
        explanations: [EXPLAINED],
        latency_ms: 9,
        request_id: 'req-2',
      },
    })
    renderRoute(<DeploymentDetail />, { path: '/deployments/:deploymentId', url: '/deployments/dep1' })
    await user.click(await screen.findByRole('checkbox', { name: /Explain each prediction/ }))
    await user.click(screen.getByRole('button', { name: 'Predict' }))
    const row = await screen.findByRole('region', { name: 'Explanation of row 1' })
    expect(within(row).getAllByTestId('contribution')).toHaveLength(3)
    expect(requestsTo('/api/v1/deployments/iris-best/predict')[0]?.body).toEqual({ rows: [{ sepal_length: 0 }], explain: true })
  })
})
