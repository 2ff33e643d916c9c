/** Renaming and deleting a workspace, a project and an experiment from their pages. */
import type { QueryClient, QueryKey } from '@tanstack/react-query'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import { experimentsKeys } from '@/api/queries/experiments'
import { projectsKeys } from '@/api/queries/projects'
import { workspacesKeys } from '@/api/queries/workspaces'
import type { Workspace } from '@/api/types'
import ExperimentDetail from '@/pages/ExperimentDetail'
import ProjectPage from '@/pages/ProjectPage'
import WorkspacePage from '@/pages/WorkspacePage'
import { useUiStore } from '@/stores/ui'
import { ABILITIES, experiment, plans, project, workspace } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

const asRole = (role: string): Workspace => ({ ...workspace, role, can: ABILITIES[role]! })

/** Seed a list the page does not show, so a test can see the mutation mark it stale. */
function seedList(client: QueryClient, key: QueryKey) {
  client.setQueryData(key, { data: [], count: 0 })
  return () => client.getQueryState(key)?.isInvalidated
}

/** Wait until the page knows the member's role (the workspace query has answered). */
const roleKnown = (client: QueryClient) =>
  waitFor(() => expect(client.getQueryData(workspacesKeys.detail('ws1'))).toBeDefined())

describe('a workspace page', () => {
  const open = (ws: Workspace = workspace) => {
    mockApi({ 'GET /api/v1/workspaces/:ws': ws, 'GET /api/v1/workspaces/:ws/projects': { data: [], count: 0 } })
    return renderRoute(<WorkspacePage />, { path: '/workspaces/:workspaceId', url: '/workspaces/ws1' })
  }

  it('lets an owner rename it; the header and the workspace list follow', async () => {
    const user = userEvent.setup()
    mockApi({ 'PATCH /api/v1/workspaces/:ws': (req) => ({ ...workspace, ...(req.body as object) }) })
    const { client } = open()
    const listStale = seedList(client, workspacesKeys.list())
    await user.click(await screen.findByRole('button', { name: 'Rename' }))
    const form = screen.getByRole('form', { name: 'Rename workspace' })
    const input = within(form).getByLabelText('Workspace name')
    expect(input).toHaveValue('Acme')
    await user.clear(input)
    await user.type(input, '  Acme Labs ')
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    expect(await screen.findByRole('heading', { name: 'Acme Labs' })).toBeInTheDocument()
    expect(requestsTo('/api/v1/workspaces/ws1', 'PATCH')[0]?.body).toEqual({ name: 'Acme Labs' })
    expect(screen.queryByRole('form', { name: 'Rename workspace' })).not.toBeInTheDocument()
    expect(listStale()).toBe(true)
  })

  it('will not send an empty name, and shows a refused rename in the server’s words', async () => {
    const user = userEvent.setup()
    mockApi({ 'PATCH /api/v1/workspaces/:ws': reply(409, { detail: 'A workspace named "Beta" already exists.' }) })
    open()
    await user.click(await screen.findByRole('button', { name: 'Rename' }))
    const input = screen.getByLabelText('Workspace name')
    await user.clear(input)
    await user.type(input, '   ')
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled()
    await user.clear(input)
    await user.type(input, 'Beta')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('A workspace named "Beta" already exists.')
    expect(screen.getByRole('heading', { name: 'Acme' })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it('asks before deleting; then deletes, forgets it for the navigation and goes to the list', async () => {
    const user = userEvent.setup()
    mockApi({ 'DELETE /api/v1/workspaces/:ws': () => undefined })
    const { client } = open()
    const listStale = seedList(client, workspacesKeys.list())
    await user.click(await screen.findByRole('button', { name: 'Delete' }))
    const confirm = screen.getByRole('group', { name: 'Delete workspace Acme' })
    expect(confirm).toHaveTextContent('Its projects, data, pipelines and deployments are deleted with it.')
    await user.click(within(confirm).getByRole('button', { name: 'Keep' }))
    expect(requestsTo('/api/v1/workspaces/ws1', 'DELETE')).toHaveLength(0)
    expect(useUiStore.getState().workspaceId).toBe('ws1')

    await user.click(screen.getByRole('button', { name: 'Delete' }))
    await user.click(screen.getByRole('button', { name: 'Confirm delete' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent(/^Went to \/$/)
    expect(requestsTo('/api/v1/workspaces/ws1', 'DELETE')).toHaveLength(1)
    expect(useUiStore.getState().workspaceId).toBeNull()
    expect(listStale()).toBe(true)
  })

  it('shows a refused delete in the server’s words and stays', async () => {
    const user = userEvent.setup()
    mockApi({ 'DELETE /api/v1/workspaces/:ws': reply(403, { detail: 'only owners can administer this workspace' }) })
    open()
    await user.click(await screen.findByRole('button', { name: 'Delete' }))
    await user.click(screen.getByRole('button', { name: 'Confirm delete' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('only owners can administer this workspace')
    expect(screen.queryByTestId('nav-marker')).not.toBeInTheDocument()
  })

  it.each(['editor', 'viewer'])('offers an %s neither rename nor delete, and shows the role', async (role) => {
    open(asRole(role))
    expect(await screen.findByText(`Your role: ${role}`)).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Rename' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument()
  })

  it('reads "Workspace not found" once it is gone', async () => {
    mockApi({ 'GET /api/v1/workspaces/:ws': reply(404, { detail: 'workspace not found' }) })
    renderRoute(<WorkspacePage />, { path: '/workspaces/:workspaceId', url: '/workspaces/ws1' })
    expect(await screen.findByRole('heading', { name: 'Workspace not found' })).toBeInTheDocument()
  })
})

describe('a project page', () => {
  const open = (ws: Workspace = asRole('editor')) => {
    mockApi({
      'GET /api/v1/projects/:id': project,
      'GET /api/v1/projects/:id/experiments': { data: [], count: 0 },
      'GET /api/v1/workspaces/:ws': ws,
    })
    return renderRoute(<ProjectPage />, { path: '/projects/:projectId', url: '/projects/p1' })
  }

  it('lets an editor rename and re-describe it; the projects list follows', async () => {
    const user = userEvent.setup()
    mockApi({ 'PATCH /api/v1/projects/:id': (req) => ({ ...project, ...(req.body as object) }) })
    const { client } = open()
    const listStale = seedList(client, projectsKeys.list('ws1'))
    await user.click(await screen.findByRole('button', { name: 'Rename' }))
    const form = screen.getByRole('form', { name: 'Rename project' })
    expect(within(form).getByLabelText('Description')).toHaveValue('Who leaves')
    await user.clear(within(form).getByLabelText('Project name'))
    await user.type(within(form).getByLabelText('Project name'), 'Churn 2027')
    await user.clear(within(form).getByLabelText('Description'))
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    expect(await screen.findByRole('heading', { name: 'Churn 2027' })).toBeInTheDocument()
    expect(requestsTo('/api/v1/projects/p1', 'PATCH')[0]?.body).toEqual({ name: 'Churn 2027', description: '' })
    expect(listStale()).toBe(true)
  })

  it('asks before deleting, then goes back to its workspace with the list refreshed', async () => {
    const user = userEvent.setup()
    mockApi({ 'DELETE /api/v1/projects/:id': () => undefined })
    const { client } = open()
    const listStale = seedList(client, projectsKeys.list('ws1'))
    await user.click(await screen.findByRole('button', { name: 'Delete' }))
    expect(screen.getByRole('group', { name: 'Delete project Churn' })).toHaveTextContent('Its experiments and runs are deleted too')
    await user.click(screen.getByRole('button', { name: 'Confirm delete' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /workspaces/ws1')
    expect(requestsTo('/api/v1/projects/p1', 'DELETE')).toHaveLength(1)
    expect(listStale()).toBe(true)
  })

  it('shows the server’s 409 while runs are active, and stays', async () => {
    const user = userEvent.setup()
    const detail = '1 run(s) are still queued or running; cancel them first'
    mockApi({ 'DELETE /api/v1/projects/:id': reply(409, { detail }) })
    open()
    await user.click(await screen.findByRole('button', { name: 'Delete' }))
    await user.click(screen.getByRole('button', { name: 'Confirm delete' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(detail)
    expect(screen.getByRole('heading', { name: 'Churn' })).toBeInTheDocument()
    expect(screen.queryByTestId('nav-marker')).not.toBeInTheDocument()
  })

  it('offers a viewer neither rename nor delete', async () => {
    const { client } = open(asRole('viewer'))
    expect(await screen.findByRole('heading', { name: 'Churn' })).toBeInTheDocument()
    await roleKnown(client)
    expect(screen.queryByRole('button', { name: 'Rename' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument()
  })
})

describe('an experiment page', () => {
  const open = (ws: Workspace = asRole('editor')) => {
    mockApi({
      'GET /api/v1/experiments/:id': experiment,
      'GET /api/v1/projects/:id': project,
      'GET /api/v1/workspaces/:ws': ws,
      'GET /api/v1/experiments/:id/runs': { data: [], count: 0 },
      'GET /api/v1/describe/models': [],
      'GET /api/v1/describe/metrics': [],
      'GET /api/v1/workspaces/:ws/data-sources': { data: [], count: 0 },
      'GET /api/v1/describe/samples': [],
      'GET /api/v1/describe/setup-params': [],
      'GET /api/v1/describe/plans': plans,
    })
    return renderRoute(<ExperimentDetail />, { path: '/experiments/:experimentId', url: '/experiments/exp1' })
  }

  it('lets an editor rename it and add a description; the experiments list follows', async () => {
    const user = userEvent.setup()
    mockApi({ 'PATCH /api/v1/experiments/:id': (req) => ({ ...experiment, ...(req.body as object) }) })
    const { client } = open()
    const listStale = seedList(client, experimentsKeys.list('p1'))
    await user.click(await screen.findByRole('button', { name: 'Rename' }))
    const form = screen.getByRole('form', { name: 'Rename experiment' })
    await user.clear(within(form).getByLabelText('Experiment name'))
    await user.type(within(form).getByLabelText('Experiment name'), 'Iris tuned')
    await user.type(within(form).getByLabelText('Description'), 'five folds')
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    expect(await screen.findByRole('heading', { name: 'Iris tuned' })).toBeInTheDocument()
    expect(screen.getByText('five folds')).toBeInTheDocument()
    expect(requestsTo('/api/v1/experiments/exp1', 'PATCH')[0]?.body).toEqual({ name: 'Iris tuned', description: 'five folds' })
    expect(listStale()).toBe(true)
  })

  it('asks before deleting, then goes back to its project with the list refreshed', async () => {
    const user = userEvent.setup()
    mockApi({ 'DELETE /api/v1/experiments/:id': () => undefined })
    const { client } = open()
    const listStale = seedList(client, experimentsKeys.list('p1'))
    await user.click(await screen.findByRole('button', { name: 'Delete' }))
    const confirm = screen.getByRole('group', { name: 'Delete experiment Iris first try' })
    await user.click(within(confirm).getByRole('button', { name: 'Keep' }))
    expect(requestsTo('/api/v1/experiments/exp1', 'DELETE')).toHaveLength(0)
    await user.click(screen.getByRole('button', { name: 'Delete' }))
    await user.click(screen.getByRole('button', { name: 'Confirm delete' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /projects/p1')
    expect(requestsTo('/api/v1/experiments/exp1', 'DELETE')).toHaveLength(1)
    expect(listStale()).toBe(true)
  })

  it('shows the server’s 409 while runs are active, and stays', async () => {
    const user = userEvent.setup()
    const detail = '2 run(s) are still queued or running; cancel them first'
    mockApi({ 'DELETE /api/v1/experiments/:id': reply(409, { detail }) })
    open()
    await user.click(await screen.findByRole('button', { name: 'Delete' }))
    await user.click(screen.getByRole('button', { name: 'Confirm delete' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(detail)
    expect(screen.queryByTestId('nav-marker')).not.toBeInTheDocument()
  })

  it('offers a viewer neither rename nor delete', async () => {
    const { client } = open(asRole('viewer'))
    expect(await screen.findByRole('heading', { name: 'Iris first try' })).toBeInTheDocument()
    await roleKnown(client)
    expect(screen.queryByRole('button', { name: 'Rename' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument()
  })
})
