import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import DeploymentDetail from '@/pages/DeploymentDetail'
import PipelineDetail from '@/pages/PipelineDetail'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

const pipeline = {
  id: 'pipe1',
  workspace_id: 'ws1',
  run_id: 'run-1',
  name: 'Iris Best',
  version: 2,
  model_id: 'lr',
  status: 'ready',
  metrics: { Accuracy: 0.9667, F1: 0.9666 },
  sha256: 'a'.repeat(64),
  size_bytes: 4096,
  input_schema: [{ name: 'sepal_length', dtype: 'float64', kind: 'numeric' }],
  manifest: { format: 'skops', engine: '0.1.0' },
}
const deployment = { id: 'dep1', pipeline_id: 'pipe1', slug: 'iris-best', auth_mode: 'workspace', status: 'active', request_count: 12, error_count: 1, p50_ms: 2.4, p95_ms: 6.1 }

describe('PipelineDetail', () => {
  it('shows metrics, checksum, manifest and download; validates the slug and deploys', async () => {
    const user = userEvent.setup()
    mockApi({ 'GET /api/v1/pipelines/:id': pipeline, 'POST /api/v1/pipelines/:id/deployments': deployment })
    renderRoute(<PipelineDetail />, { path: '/pipelines/:pipelineId', url: '/pipelines/pipe1' })
    expect(await screen.findByRole('group', { name: 'Accuracy' })).toHaveTextContent('0.9667')
    expect(screen.getByText('a'.repeat(64))).toBeInTheDocument()
    expect(screen.getByText('skops')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Download artifact' })).toHaveAttribute('href', `${window.location.origin}/api/v1/pipelines/pipe1/download`)

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
})

describe('DeploymentDetail', () => {
  it('shows the stat cards and tries a prediction', async () => {
    const user = userEvent.setup()
    mockApi({
      'GET /api/v1/deployments/:id': deployment,
      'GET /api/v1/pipelines/:id': pipeline,
      'POST /api/v1/deployments/:slug/predict': { predictions: [{ prediction: 'setosa', proba_setosa: 0.98 }], latency_ms: 3.2 },
    })
    renderRoute(<DeploymentDetail />, { path: '/deployments/:deploymentId', url: '/deployments/dep1' })
    expect(await screen.findByRole('group', { name: 'Requests' })).toHaveTextContent('12')
    expect(screen.getByRole('group', { name: 'Errors' })).toHaveTextContent('1')
    expect(screen.getByRole('group', { name: 'p50 latency' })).toHaveTextContent('2ms')
    expect(screen.getByRole('group', { name: 'p95 latency' })).toHaveTextContent('6ms')
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
    expect(screen.getByTestId('predict-latency')).toHaveTextContent('1 prediction in 3ms')
    expect(requestsTo('/api/v1/deployments/iris-best/predict')[0]?.body).toEqual({ rows: [{ sepal_length: 5.1 }] })
  })

  it('shows the server’s detail when a prediction is refused', async () => {
    const user = userEvent.setup()
    mockApi({
      'GET /api/v1/deployments/:id': deployment,
      'GET /api/v1/pipelines/:id': pipeline,
      'POST /api/v1/deployments/:slug/predict': reply(422, { detail: 'Missing column: sepal_width' }),
    })
    renderRoute(<DeploymentDetail />, { path: '/deployments/:deploymentId', url: '/deployments/dep1' })
    await user.click(await screen.findByRole('button', { name: 'Predict' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Missing column: sepal_width')
  })
})
