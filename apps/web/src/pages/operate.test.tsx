import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'

import type { AuditEvent, Invitation, Webhook } from '@/api/types'
import { AuditPanel } from '@/components/workspace/AuditPanel'
import { MembersPanel } from '@/components/workspace/MembersPanel'
import { WebhooksPanel } from '@/components/workspace/WebhooksPanel'
import AcceptInvitationPage from '@/pages/AcceptInvitationPage'
import WorkspacePage from '@/pages/WorkspacePage'
import { useAuthStore } from '@/stores/auth'
import { ABILITIES, T0, workspace } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

const WS = '/api/v1/workspaces/ws1'
const row = (action: string, email: string): AuditEvent => ({
  id: `${action}-${email}`,
  at: T0,
  actor_id: 'u1',
  actor_email: email,
  workspace_id: 'ws1',
  action,
  resource_type: action.split('.')[0] ?? '',
  resource_id: 'r1',
  outcome: 'success',
  client: '10.0.0.9',
  detail: { name: 'Churn' },
})

describe('AuditPanel', () => {
  it('shows the log, sends the filters, pages and exports CSV', async () => {
    mockApi({
      [`GET ${WS}/audit-log`]: (req) =>
        req.url.searchParams.get('format') === 'csv'
          ? new Response('at,action\n', { headers: { 'Content-Type': 'text/csv' } })
          : {
              data: req.url.searchParams.get('action') ? [row('member.add', 'o@x.io')] : [row('project.create', 'o@x.io')],
              count: 1,
              total: req.url.searchParams.get('action') ? 1 : 120,
              limit: 50,
              offset: Number(req.url.searchParams.get('offset') ?? 0),
            },
    })
    URL.createObjectURL = vi.fn(() => 'blob:x')
    URL.revokeObjectURL = vi.fn()
    renderRoute(<AuditPanel workspaceId="ws1" />)
    const table = await screen.findByRole('table', { name: 'Audit log' })
    expect(within(table).getByText('project.create')).toBeInTheDocument()
    expect(within(table).getByText('10.0.0.9')).toBeInTheDocument()
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Older' }))
    await waitFor(() => expect(requestsTo(`${WS}/audit-log`).at(-1)?.url.searchParams.get('offset')).toBe('50'))
    await user.type(screen.getByLabelText('Action'), 'member.')
    await user.type(screen.getByLabelText('Who'), 'o@x.io')
    await user.type(screen.getByLabelText('From'), '2026-12-01')
    await user.click(screen.getByRole('button', { name: 'Filter' }))
    expect(await screen.findByText('member.add')).toBeInTheDocument()
    const sent = requestsTo(`${WS}/audit-log`).at(-1)?.url.searchParams
    expect(sent?.get('action')).toBe('member.')
    expect(sent?.get('actor')).toBe('o@x.io')
    expect(sent?.get('since')).toBe('2026-12-01T00:00:00Z')
    expect(sent?.get('offset')).toBe('0')
    await user.click(screen.getByRole('button', { name: 'Export CSV' }))
    await waitFor(() => expect(URL.createObjectURL).toHaveBeenCalled())
    const csv = requestsTo(`${WS}/audit-log`).find((r) => r.url.searchParams.get('format') === 'csv')
    expect(csv?.url.searchParams.get('action')).toBe('member.')
  })

  it('says the server’s refusal', async () => {
    mockApi({ [`GET ${WS}/audit-log`]: reply(403, { detail: 'your role in this workspace is editor' }) })
    renderRoute(<AuditPanel workspaceId="ws1" />)
    expect(await screen.findByRole('alert')).toHaveTextContent('your role in this workspace is editor')
  })
})

describe('MembersPanel invitations', () => {
  it('creates a copyable invitation link and revokes a pending invitation', async () => {
    let invitations: Invitation[] = []
    const pending: Invitation = {
      id: 'i1', workspace_id: 'ws1', email: 'nia@x.io', role: 'editor', status: 'pending',
      expires_at: T0, created_at: T0, accepted_at: null,
    }
    mockApi({
      [`GET ${WS}`]: workspace,
      [`GET ${WS}/members`]: { data: [], count: 0 },
      [`GET ${WS}/invitations`]: () => ({ data: invitations, count: invitations.length }),
      [`POST ${WS}/invitations`]: () => {
        invitations = [pending]
        return { ...pending, token: 'pdi_secret', path: '/invitations/pdi_secret' }
      },
      [`DELETE ${WS}/invitations/:id`]: () => {
        invitations = [{ ...pending, status: 'revoked' }]
        return undefined
      },
    })
    renderRoute(<MembersPanel workspaceId="ws1" />)
    const user = userEvent.setup()
    await user.type(await screen.findByLabelText('Invitee email'), 'nia@x.io')
    await user.click(screen.getByRole('button', { name: 'Create link' }))
    expect(await screen.findByTestId('invite-link')).toHaveTextContent('/invitations/pdi_secret')
    expect(requestsTo(`${WS}/invitations`, 'POST')[0]?.body).toEqual({ email: 'nia@x.io', role: 'editor', valid_hours: 72 })
    await user.click(await screen.findByRole('button', { name: 'Revoke invitation of nia@x.io' }))
    expect(await screen.findByText('revoked')).toBeInTheDocument()
  })
})

describe('AcceptInvitationPage', () => {
  const preview = { workspace_name: 'Acme', email: 'nia@x.io', role: 'editor', expires_at: T0, account_exists: false }

  it('creates the account, signs in and opens the workspace', async () => {
    mockApi({
      'GET /api/v1/invitations/:token': preview,
      'POST /api/v1/invitations/:token/accept': {
        workspace_id: 'ws1', role: 'editor',
        tokens: { access_token: 'a1', refresh_token: 'r1', token_type: 'bearer', expires_in: 900 },
      },
    })
    renderRoute(<AcceptInvitationPage />, { path: '/invitations/:token', url: '/invitations/pdi_t' })
    expect(await screen.findByText('Acme')).toBeInTheDocument()
    const user = userEvent.setup()
    await user.type(screen.getByLabelText('Your name'), 'Nia')
    await user.type(screen.getByLabelText('Choose a password'), 'a-good-password')
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /workspaces/ws1')
    expect(requestsTo('/api/v1/invitations/pdi_t/accept')[0]?.body).toEqual({ password: 'a-good-password', display_name: 'Nia' })
    expect(useAuthStore.getState().accessToken).toBe('a1')
  })

  it('says why a used link cannot be used', async () => {
    mockApi({ 'GET /api/v1/invitations/:token': reply(410, { detail: 'this invitation was already used' }) })
    renderRoute(<AcceptInvitationPage />, { path: '/invitations/:token', url: '/invitations/pdi_t' })
    expect(await screen.findByRole('alert')).toHaveTextContent('this invitation was already used')
    expect(screen.queryByRole('button', { name: 'Accept invitation' })).not.toBeInTheDocument()
  })
})

describe('WebhooksPanel', () => {
  it('adds a webhook (secret shown once), sends a test and shows its deliveries', async () => {
    let hooks: Webhook[] = []
    const hook: Webhook = {
      id: 'h1', workspace_id: 'ws1', url: 'https://hooks.x.io/p', events: ['run.finished'],
      description: '', active: true, drift_min_severity: 'medium', created_at: T0,
    }
    const delivery = {
      id: 'd1', event: 'ping', status: 'delivered', attempts: 2, response_code: 200, error: null,
      next_attempt_at: T0, created_at: T0, finished_at: T0,
    }
    mockApi({
      [`GET ${WS}/webhooks`]: () => ({ data: hooks, count: hooks.length }),
      [`POST ${WS}/webhooks`]: () => {
        hooks = [hook]
        return { ...hook, secret: 'whsec_abc' }
      },
      'POST /api/v1/webhooks/h1/ping': delivery,
      'GET /api/v1/webhooks/h1/deliveries': { data: [delivery], count: 1 },
    })
    renderRoute(<WebhooksPanel workspaceId="ws1" />)
    const user = userEvent.setup()
    await user.type(await screen.findByLabelText('Endpoint URL'), 'https://hooks.x.io/p')
    await user.click(screen.getByLabelText('run.failed'))
    await user.click(screen.getByRole('button', { name: 'Add webhook' }))
    expect(await screen.findByTestId('webhook-secret')).toHaveTextContent('whsec_abc')
    expect(requestsTo(`${WS}/webhooks`, 'POST')[0]?.body).toEqual({ url: 'https://hooks.x.io/p', events: ['run.finished'] })
    await user.click(await screen.findByRole('button', { name: 'Send test' }))
    const table = await screen.findByRole('table', { name: 'Deliveries' })
    expect(within(table).getByText('delivered')).toBeInTheDocument()
    expect(within(table).getByText('200')).toBeInTheDocument()
  })
})

describe('WebhooksPanel drift level', () => {
  it('sets the least drift severity when adding a drift webhook, and changes it on one', async () => {
    const hook: Webhook = {
      id: 'h2', workspace_id: 'ws1', url: 'https://hooks.x.io/drift', events: ['drift.detected'],
      description: '', active: true, drift_min_severity: 'high', created_at: T0,
    }
    let hooks: Webhook[] = []
    mockApi({
      [`GET ${WS}/webhooks`]: () => ({ data: hooks, count: hooks.length }),
      [`POST ${WS}/webhooks`]: () => {
        hooks = [hook]
        return { ...hook, secret: 'whsec_abc' }
      },
      'PATCH /api/v1/webhooks/h2': () => {
        hooks = [{ ...hook, drift_min_severity: 'low' }]
        return hooks[0]
      },
    })
    renderRoute(<WebhooksPanel workspaceId="ws1" />)
    const user = userEvent.setup()
    const form = await screen.findByRole('region', { name: 'Add webhook' })
    expect(within(form).queryByLabelText('Drift alerts from')).not.toBeInTheDocument() // no drift event: no level
    await user.type(within(form).getByLabelText('Endpoint URL'), 'https://hooks.x.io/drift')
    await user.click(within(form).getByLabelText('run.finished'))
    await user.click(within(form).getByLabelText('run.failed'))
    await user.click(within(form).getByLabelText('drift.detected'))
    expect(within(form).getByLabelText('Drift alerts from')).toHaveValue('medium')
    await user.selectOptions(within(form).getByLabelText('Drift alerts from'), 'high')
    await user.click(within(form).getByRole('button', { name: 'Add webhook' }))
    expect(await screen.findByTestId('webhook-secret')).toBeInTheDocument()
    expect(requestsTo(`${WS}/webhooks`, 'POST')[0]?.body).toEqual({
      url: 'https://hooks.x.io/drift', events: ['drift.detected'], drift_min_severity: 'high',
    })
    const card = (await screen.findByText('Events: drift.detected')).parentElement as HTMLElement
    const level = within(card).getByLabelText('Drift alerts from')
    expect(level).toHaveValue('high')
    await user.selectOptions(level, 'low')
    await waitFor(() => expect(requestsTo('/api/v1/webhooks/h2', 'PATCH')[0]?.body).toEqual({ drift_min_severity: 'low' }))
    await waitFor(() => expect(within(card).getByLabelText('Drift alerts from')).toHaveValue('low'))
  })
})

describe('WorkspacePage owner tabs', () => {
  it.each([
    ['owner', true],
    ['editor', false],
  ])('shows Webhooks and Audit log to an %s: %s', async (role, shown) => {
    mockApi({
      [`GET ${WS}`]: { ...workspace, role, can: ABILITIES[role] },
      [`GET ${WS}/projects`]: { data: [], count: 0 },
    })
    renderRoute(<WorkspacePage />, { path: '/workspaces/:workspaceId', url: '/workspaces/ws1' })
    expect(await screen.findByRole('tab', { name: 'Projects' })).toBeInTheDocument()
    expect(!!screen.queryByRole('tab', { name: 'Audit log' })).toBe(shown)
    expect(!!screen.queryByRole('tab', { name: 'Webhooks' })).toBe(shown)
  })
})
