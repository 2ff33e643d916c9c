import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import { PredictionLog } from '@/components/deployment/PredictionLog'
import { renderRoute } from '@/test/render'
import { mockApi, requestsTo } from '@/test/server'

const LOG = '/api/v1/deployments/dep1/predictions'

/** `n` logged calls starting at `from`, the odd ones failed. */
function entries(from: number, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `l${from + i}`,
    request_id: `req-${from + i}`,
    status_code: (from + i) % 2 ? 422 : 200,
    latency_ms: 2,
    request: null,
    response: null,
    created_at: '2026-11-28T10:00:00Z',
  }))
}

/** The server's answer for a query: 45 calls in all (23 ok), paged by offset/limit. */
function logRoute() {
  mockApi({
    'GET /api/v1/deployments/:id/predictions': ({ url }) => {
      const q = url.searchParams
      const total = q.get('outcome') === 'ok' ? 23 : 45
      const offset = Number(q.get('offset') ?? 0)
      const data = entries(offset, Math.max(0, Math.min(Number(q.get('limit')), total - offset)))
      return { data, count: data.length, total }
    },
    'GET /api/v1/deployments/:id/predictions/export': () => new Response('created_at\n', { headers: { 'Content-Type': 'text/csv' } }),
  })
}

const lastQuery = () => requestsTo(LOG, 'GET').at(-1)!.url.searchParams

describe('PredictionLog', () => {
  it('pages through the log with offset and shows the total', async () => {
    logRoute()
    const user = userEvent.setup()
    renderRoute(<PredictionLog deploymentId="dep1" slug="iris-best" />)
    expect(await screen.findByText('req-0')).toBeInTheDocument()
    expect(screen.getByText(/1–20 of 45/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Newer' })).toBeDisabled()
    expect(lastQuery().get('offset')).toBeNull()

    await user.click(screen.getByRole('button', { name: 'Older' }))
    expect(await screen.findByText('req-20')).toBeInTheDocument()
    expect(lastQuery().get('offset')).toBe('20')
    await user.click(screen.getByRole('button', { name: 'Older' }))
    expect(await screen.findByText(/41–45 of 45/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Older' })).toBeDisabled()
    await user.click(screen.getByRole('button', { name: 'Newer' }))
    expect(await screen.findByText(/21–40 of 45/)).toBeInTheDocument()
  })

  it('sends the time range and outcome, starts again at the first page, and exports the same calls', async () => {
    logRoute()
    URL.createObjectURL = () => 'blob:x'
    URL.revokeObjectURL = () => undefined
    const user = userEvent.setup()
    renderRoute(<PredictionLog deploymentId="dep1" slug="iris-best" />)
    await user.click(await screen.findByRole('button', { name: 'Older' }))
    await waitFor(() => expect(lastQuery().get('offset')).toBe('20'))

    await user.type(screen.getByLabelText('From'), '2026-11-28T09:00')
    await user.type(screen.getByLabelText('Until'), '2026-11-28T11:30')
    await user.selectOptions(screen.getByLabelText('Outcome'), 'ok')
    expect(await screen.findByText(/1–20 of 23/)).toBeInTheDocument()
    const q = lastQuery()
    expect(q.get('since')).toBe(new Date('2026-11-28T09:00').toISOString())
    expect(q.get('until')).toBe(new Date('2026-11-28T11:30').toISOString())
    expect(q.get('outcome')).toBe('ok')
    expect(q.get('offset')).toBeNull() // a new filter starts at the newest call

    await user.click(screen.getByRole('button', { name: 'Export these calls as CSV' }))
    await waitFor(() => expect(requestsTo(`${LOG}/export`, 'GET')).toHaveLength(1))
    const sent = requestsTo(`${LOG}/export`, 'GET')[0]!.url.searchParams
    expect(sent.get('since')).toBe(q.get('since'))
    expect(sent.get('until')).toBe(q.get('until'))
    expect(sent.get('outcome')).toBe('ok')

    await user.click(screen.getByRole('button', { name: 'Clear filters' }))
    expect(await screen.findByText(/1–20 of 45/)).toBeInTheDocument()
    expect(lastQuery().get('outcome')).toBeNull()
  })

  it('says when no call matches the filter', async () => {
    mockApi({ 'GET /api/v1/deployments/:id/predictions': { data: [], count: 0, total: 0 } })
    const user = userEvent.setup()
    renderRoute(<PredictionLog deploymentId="dep1" slug="iris-best" />)
    expect(await screen.findByText('No requests yet')).toBeInTheDocument()
    await user.selectOptions(screen.getByLabelText('Outcome'), 'error')
    expect(await screen.findByText('No calls match')).toBeInTheDocument()
  })
})
