import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import { Layout } from '@/components/Layout'
import DataSourcePage from '@/pages/DataSourcePage'
import ProjectPage from '@/pages/ProjectPage'
import WorkspacesPage from '@/pages/WorkspacesPage'
import { useAuthStore } from '@/stores/auth'
import { useUiStore } from '@/stores/ui'
import { experiment, project, upload, workspace } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

describe('Layout', () => {
  it('shows the user and workspace navigation, and signs out', async () => {
    const user = userEvent.setup()
    useAuthStore.getState().setTokens({ access_token: 'a', refresh_token: 'r' })
    useUiStore.getState().setWorkspaceId('ws1')
    mockApi({
      'GET /api/v1/auth/me': { id: 'u1', email: 'ada@example.com', display_name: 'Ada', is_admin: true, created_at: '' },
      'POST /api/v1/auth/logout': () => undefined,
    })
    renderRoute(<Layout />)
    expect(await screen.findByTestId('current-user')).toHaveTextContent('ada@example.com')
    const nav = screen.getByRole('navigation', { name: 'Main' })
    expect(within(nav).getByRole('link', { name: 'Pipelines' })).toHaveAttribute('href', '/workspaces/ws1/pipelines')
    await user.click(screen.getByRole('button', { name: 'Sign out' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /login')
    expect(requestsTo('/api/v1/auth/logout')[0]?.body).toEqual({ refresh_token: 'r' })
    expect(useAuthStore.getState().accessToken).toBeNull()
  })
})

describe('WorkspacesPage', () => {
  it('lists workspaces and shows an error in the server’s words', async () => {
    const user = userEvent.setup()
    mockApi({
      'GET /api/v1/workspaces': { data: [workspace], count: 1 },
      'POST /api/v1/workspaces': reply(409, { detail: 'A workspace named "Acme" already exists.' }),
    })
    renderRoute(<WorkspacesPage />)
    expect(await screen.findByRole('link', { name: /Acme/ })).toHaveAttribute('href', '/workspaces/ws1')
    await user.type(screen.getByLabelText('Workspace name'), 'Acme')
    await user.click(screen.getByRole('button', { name: 'Create workspace' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('A workspace named "Acme" already exists.')
  })
})

describe('DataSourcePage', () => {
  it('shows counts, checksum, schema and a preview', async () => {
    mockApi({
      'GET /api/v1/data-sources/:id': upload,
      'GET /api/v1/data-sources/:id/preview': { columns: ['age', 'plan', 'churned'], rows: [{ age: 41, plan: 'pro', churned: false }, { age: 29, plan: null, churned: true }] },
      'GET /api/v1/data-sources/:id/profile': () => reply(202, { data_source_id: 'ds1', target: null, status: 'queued', detail: 'queued' }),
    })
    renderRoute(<DataSourcePage />, { path: '/data-sources/:dataSourceId', url: '/data-sources/ds1' })
    expect(await screen.findByRole('group', { name: 'Rows' })).toHaveTextContent('1,200')
    expect(screen.getByRole('group', { name: 'Columns' })).toHaveTextContent('5')
    expect(screen.getByTestId('checksum')).toHaveTextContent('f'.repeat(64))
    const schema = screen.getByRole('table', { name: 'Inferred schema' })
    expect(within(schema).getAllByText('categorical')).toHaveLength(2)
    const preview = await screen.findByRole('table', { name: 'Preview of the first rows' })
    expect(within(preview).getByText('41')).toBeInTheDocument()
    expect(within(preview).getByText('null')).toBeInTheDocument()
  })
})

describe('ProjectPage', () => {
  it('lists experiments with a link to the wizard', async () => {
    mockApi({
      'GET /api/v1/projects/:id': project,
      'GET /api/v1/projects/:id/experiments': { data: [experiment], count: 1 },
      'GET /api/v1/workspaces/:ws': workspace,
    })
    renderRoute(<ProjectPage />, { path: '/projects/:projectId', url: '/projects/p1' })
    expect(await screen.findByRole('link', { name: 'Iris first try' })).toHaveAttribute('href', '/experiments/exp1')
    expect(screen.getByRole('link', { name: 'New experiment' })).toHaveAttribute('href', '/projects/p1/experiments/new')
    expect(screen.getByText('sklearn:iris')).toBeInTheDocument()
  })
})
