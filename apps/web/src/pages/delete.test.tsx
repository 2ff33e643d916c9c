import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'

import DeploymentDetail from '@/pages/DeploymentDetail'
import PipelineDetail from '@/pages/PipelineDetail'
import { deployment, model, pipeline, deploymentPanelRoutes } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

// A pipeline's page shows its source model's view; these tests are about the rest of the page.
beforeEach(() => mockApi({ 'GET /api/v1/runs/:run/models/:model': { ...model, plots: [] } }))

const openPipeline = () => renderRoute(<PipelineDetail />, { path: '/pipelines/:pipelineId', url: '/pipelines/pipe1' })
const openDeployment = () => renderRoute(<DeploymentDetail />, { path: '/deployments/:deploymentId', url: '/deployments/dep1' })
const deploymentRoutes = {
  'GET /api/v1/deployments/:id': deployment,
  'GET /api/v1/pipelines/:id': pipeline,
  'GET /api/v1/deployments/:id/predictions': { data: [], count: 0 },
  ...deploymentPanelRoutes,
}

describe('deleting a pipeline', () => {
  it('asks first; "Keep" sends nothing, "Confirm delete" deletes and goes to the list', async () => {
    const user = userEvent.setup()
    mockApi({ 'GET /api/v1/pipelines/:id': pipeline, 'DELETE /api/v1/pipelines/:id': () => undefined })
    openPipeline()
    await user.click(await screen.findByRole('button', { name: 'Delete' }))
    const confirm = screen.getByRole('group', { name: 'Delete pipeline Iris Best v2' })
    expect(confirm).toHaveTextContent('A deployed pipeline cannot be deleted.')
    await user.click(within(confirm).getByRole('button', { name: 'Keep' }))
    expect(requestsTo('/api/v1/pipelines/pipe1', 'DELETE')).toHaveLength(0)

    await user.click(screen.getByRole('button', { name: 'Delete' }))
    await user.click(screen.getByRole('button', { name: 'Confirm delete' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /workspaces/ws1/pipelines')
    expect(requestsTo('/api/v1/pipelines/pipe1', 'DELETE')).toHaveLength(1)
  })

  it('shows the server’s 409 while the pipeline is deployed, and stays on the page', async () => {
    const user = userEvent.setup()
    const detail = 'pipeline Iris Best v2 is deployed; delete its deployments first'
    mockApi({ 'GET /api/v1/pipelines/:id': pipeline, 'DELETE /api/v1/pipelines/:id': reply(409, { detail }) })
    openPipeline()
    await user.click(await screen.findByRole('button', { name: 'Delete' }))
    await user.click(screen.getByRole('button', { name: 'Confirm delete' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(detail)
    expect(screen.getByRole('heading', { name: /Iris Best/ })).toBeInTheDocument()
    expect(screen.queryByTestId('nav-marker')).not.toBeInTheDocument()
  })
})

describe('deleting a deployment', () => {
  it('asks first, deletes and goes to the deployments list', async () => {
    const user = userEvent.setup()
    mockApi({ ...deploymentRoutes, 'DELETE /api/v1/deployments/:id': () => undefined })
    openDeployment()
    await user.click(await screen.findByRole('button', { name: 'Delete' }))
    expect(screen.getByRole('group', { name: 'Delete deployment iris-best' })).toHaveTextContent('Its endpoint stops answering at once')
    await user.click(screen.getByRole('button', { name: 'Confirm delete' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /workspaces/ws1/deployments')
    expect(requestsTo('/api/v1/deployments/dep1', 'DELETE')).toHaveLength(1)
  })

  it('shows a refusal in the server’s words', async () => {
    const user = userEvent.setup()
    mockApi({ ...deploymentRoutes, 'DELETE /api/v1/deployments/:id': reply(403, { detail: 'viewers cannot delete deployments' }) })
    openDeployment()
    await user.click(await screen.findByRole('button', { name: 'Delete' }))
    await user.click(screen.getByRole('button', { name: 'Confirm delete' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('viewers cannot delete deployments')
  })

  it('resumes a paused deployment', async () => {
    const user = userEvent.setup()
    let current = { ...deployment, status: 'paused' }
    mockApi({
      ...deploymentRoutes,
      'GET /api/v1/deployments/:id': () => current,
      'PATCH /api/v1/deployments/:id': (req) => (current = { ...current, ...(req.body as object) }),
    })
    openDeployment()
    await user.click(await screen.findByRole('button', { name: 'Resume' }))
    expect(await screen.findByRole('button', { name: 'Pause' })).toBeInTheDocument()
    expect(requestsTo('/api/v1/deployments/dep1', 'PATCH')[0]?.body).toEqual({ status: 'active' })
  })
})
