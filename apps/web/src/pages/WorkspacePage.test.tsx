import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import WorkspacePage from '@/pages/WorkspacePage'
import { useAuthStore } from '@/stores/auth'
import { useUiStore } from '@/stores/ui'
import { FakeXhr } from '@/test/FakeXhr'
import { project, upload, workspace } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

const ws = { ...workspace, created_at: '' }
const open = (tab = '') => {
  mockApi({ 'GET /api/v1/workspaces/:ws': ws })
  return renderRoute(<WorkspacePage />, { path: '/workspaces/:workspaceId', url: `/workspaces/ws1${tab ? `?tab=${tab}` : ''}` })
}

describe('WorkspacePage', () => {
  it('lists projects, creates one, and remembers the workspace for the navigation', async () => {
    const user = userEvent.setup()
    let projects = [project]
    mockApi({
      'GET /api/v1/workspaces/:ws/projects': () => ({ data: projects, count: projects.length }),
      'POST /api/v1/workspaces/:ws/projects': (req) => {
        const p = { ...project, id: 'p2', ...(req.body as object) }
        projects = [...projects, p]
        return p
      },
    })
    open()
    expect(await screen.findByRole('link', { name: 'Churn' })).toHaveAttribute('href', '/projects/p1')
    expect(useUiStore.getState().workspaceId).toBe('ws1')
    await user.type(screen.getByLabelText('Project name'), 'Fraud')
    await user.click(screen.getByRole('button', { name: 'Create project' }))
    expect(await screen.findByRole('link', { name: 'Fraud' })).toBeInTheDocument()
  })

  it('uploads a CSV with progress, then lists it; deletes after confirmation', async () => {
    FakeXhr.install()
    useAuthStore.getState().setTokens({ access_token: 'tok', refresh_token: 'r' })
    const user = userEvent.setup()
    let sources: (typeof upload)[] = []
    mockApi({
      'GET /api/v1/workspaces/:ws/data-sources': () => ({ data: sources, count: sources.length }),
      'DELETE /api/v1/data-sources/:id': () => {
        sources = []
        return undefined
      },
    })
    open('data')
    expect(await screen.findByText('No data sources yet')).toBeInTheDocument()
    const file = new File(['age,plan\n1,a\n'], 'customers.csv', { type: 'text/csv' })
    await user.upload(screen.getByLabelText('File (CSV or Parquet)'), file)
    expect(screen.getByLabelText('Name')).toHaveValue('customers')
    await user.click(screen.getByRole('button', { name: 'Upload' }))
    const xhr = FakeXhr.instances[0]!
    expect(xhr.url).toBe(`${window.location.origin}/api/v1/workspaces/ws1/data-sources/upload`)
    expect(xhr.headers.Authorization).toBe('Bearer tok')
    expect(xhr.body?.get('name')).toBe('customers')
    act(() => xhr._progress(50, 100))
    expect(screen.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute('aria-valuenow', '50')
    sources = [upload]
    act(() => xhr._respond(201, upload))
    expect(await screen.findByRole('link', { name: 'customers' })).toHaveAttribute('href', '/data-sources/ds1')
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Delete customers' }))
    await user.click(screen.getByRole('button', { name: 'Confirm delete customers' }))
    expect(await screen.findByText('No data sources yet')).toBeInTheDocument()
    expect(requestsTo('/api/v1/data-sources/ds1', 'DELETE')).toHaveLength(1)
  })

  it('shows the server’s reason when an upload is refused', async () => {
    FakeXhr.install()
    const user = userEvent.setup()
    mockApi({ 'GET /api/v1/workspaces/:ws/data-sources': { data: [], count: 0 } })
    open('data')
    await user.upload(await screen.findByLabelText('File (CSV or Parquet)'), new File(['x'], 'big.csv'))
    await user.click(screen.getByRole('button', { name: 'Upload' }))
    act(() => FakeXhr.instances[0]!._respond(413, { detail: 'The file is larger than the 200 MB limit.' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('The file is larger than the 200 MB limit.')
  })

  it('changes a member’s role and adds a member', async () => {
    const user = userEvent.setup()
    mockApi({
      'GET /api/v1/workspaces/:ws/members': {
        data: [{ user_id: 'u2', email: 'bob@example.com', display_name: 'Bob', role: 'viewer', created_at: '' }],
        count: 1,
      },
      'PATCH /api/v1/workspaces/:ws/members/:uid': (req) => ({ user_id: 'u2', email: 'bob@example.com', display_name: '', role: (req.body as { role: string }).role, created_at: '' }),
      'POST /api/v1/workspaces/:ws/members': reply(404, { detail: 'No account with email eve@example.com.' }),
      'GET /api/v1/workspaces/:ws/invitations': { data: [], count: 0 },
    })
    open('members')
    await user.selectOptions(await screen.findByLabelText('Role for bob@example.com'), 'editor')
    await waitFor(() => expect(requestsTo('/api/v1/workspaces/ws1/members/u2', 'PATCH')[0]?.body).toEqual({ role: 'editor' }))
    await user.type(screen.getByLabelText('Member email'), 'eve@example.com')
    await user.click(screen.getByRole('button', { name: 'Add member' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('No account with email eve@example.com.')
  })

  it('shows a new API key once', async () => {
    const user = userEvent.setup()
    mockApi({
      'GET /api/v1/workspaces/:ws/api-keys': { data: [], count: 0 },
      'POST /api/v1/workspaces/:ws/api-keys': { id: 'k1', workspace_id: 'ws1', name: 'ci', prefix: 'pdm_ab', created_at: '', last_used_at: null, revoked_at: null, secret: 'pdm_abcdef123456' },
    })
    open('api-keys')
    await user.type(await screen.findByLabelText('Key name'), 'ci')
    await user.click(screen.getByRole('button', { name: 'Create key' }))
    expect(await screen.findByTestId('new-api-key')).toHaveTextContent('pdm_abcdef123456')
    await user.click(screen.getByRole('button', { name: 'Done' }))
    expect(screen.queryByTestId('new-api-key')).not.toBeInTheDocument()
  })

  it('moves between tabs with the arrow keys', async () => {
    const user = userEvent.setup()
    mockApi({ 'GET /api/v1/workspaces/:ws/projects': { data: [], count: 0 }, 'GET /api/v1/workspaces/:ws/data-sources': { data: [], count: 0 } })
    open()
    const tab = await screen.findByRole('tab', { name: 'Projects' })
    tab.focus()
    await user.keyboard('{ArrowRight}')
    expect(screen.getByRole('tab', { name: 'Data sources' })).toHaveAttribute('aria-selected', 'true')
    expect(within(screen.getByRole('tabpanel')).getByText('No data sources yet')).toBeInTheDocument()
  })
})
