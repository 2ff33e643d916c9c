import { act, render, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { RETRY_DELAY_MS } from '@/api/runEvents'
import type { WsEvent } from '@/api/types'
import { EventStream, kindTone, summarizePayload } from '@/components/EventStream'
import { MAX_EVENTS, useRunStream, type RunSnapshot } from '@/components/run/useRunStream'
import { useAuthStore } from '@/stores/auth'
import { FakeWebSocket } from '@/test/FakeWebSocket'
import { mockApi } from '@/test/server'

const ev = (id: number, kind: string, extra: Partial<{ duration_ms: number | null; payload: object }> = {}) => ({
  id,
  run_id: 'run-1',
  ts: '2026-11-28T10:00:00Z',
  kind,
  duration_ms: extra.duration_ms ?? null,
  payload: extra.payload ?? {},
})

/** The run page's wiring in small: the hook owns the socket, the display only renders it. */
function Stream({ runId, rest = { pending: true }, onTerminal }: { runId: string; rest?: RunSnapshot; onTerminal?: (e: WsEvent) => void }) {
  const s = useRunStream(runId, rest, onTerminal)
  return (
    <>
      <EventStream events={s.events} status={s.status} error={s.error} />
      <output data-testid="table-rows">{s.leaderboard ? s.leaderboard.rows.length : 'none'}</output>
      <output data-testid="progress">{s.progress ? `${s.progress.models_done}/${s.progress.models_total}` : 'none'}</output>
    </>
  )
}

describe('useRunStream + EventStream', () => {
  beforeEach(() => {
    useAuthStore.getState().setTokens({ access_token: 'tok-123', refresh_token: 'ref' })
    vi.useFakeTimers({ shouldAdvanceTime: true })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('connects to the run’s WebSocket URL with the bearer token in the query string', () => {
    render(<Stream runId="run-1" />)
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(FakeWebSocket.last().url).toBe(`ws://${window.location.host}/api/v1/runs/run-1/events/ws?token=tok-123`)
    expect(screen.getByTestId('stream-status')).toHaveTextContent(/●\s+connecting/)
  })

  it('flips to live on open and renders events with short durations', () => {
    render(<Stream runId="run-1" />)
    const ws = FakeWebSocket.last()
    act(() => ws._open())
    expect(screen.getByText(/●\s+live/)).toBeInTheDocument()
    act(() => {
      ws._message(ev(1, 'model.fitted', { duration_ms: 850, payload: { name: 'Random Forest', fold: 0 } }))
      ws._message(ev(2, 'model.fitted', { duration_ms: 3500, payload: { name: 'Extra Trees', fold: 1 } }))
    })
    expect(screen.getByText('850ms')).toBeInTheDocument()
    expect(screen.getByText('3.5s')).toBeInTheDocument()
    expect(screen.getByTestId('event-count')).toHaveTextContent('2 events')
    expect(screen.getAllByText('model.fitted')[0]).toHaveClass('text-green-700')
  })

  it('recognises the run.closed sentinel, shows closed and does not reconnect', () => {
    const seen = vi.fn()
    render(<Stream runId="run-1" onTerminal={seen} />)
    const ws = FakeWebSocket.last()
    act(() => {
      ws._open()
      ws._message(ev(1, 'run.finished'))
      ws._message(ev(2, 'run.closed'))
    })
    expect(screen.getByText(/●\s+closed/)).toBeInTheDocument()
    act(() => ws._close(1006))
    act(() => vi.advanceTimersByTime(RETRY_DELAY_MS * 4))
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(screen.getByText(/●\s+closed/)).toBeInTheDocument()
    expect(seen).toHaveBeenCalledTimes(2)
  })

  it('surfaces a 4401 auth failure as a visible error and does not retry', () => {
    render(<Stream runId="run-1" />)
    act(() => FakeWebSocket.last()._close(4401))
    expect(screen.getByRole('alert')).toHaveTextContent(/sign in again/i)
    expect(screen.getByText(/●\s+error/)).toBeInTheDocument()
    act(() => vi.advanceTimersByTime(RETRY_DELAY_MS * 4))
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('shows 4403 without retrying', () => {
    render(<Stream runId="run-1" />)
    act(() => FakeWebSocket.last()._close(4403))
    expect(screen.getByRole('alert')).toHaveTextContent(/do not have access/i)
    act(() => vi.advanceTimersByTime(RETRY_DELAY_MS * 4))
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('retries once after an unexpected close, resuming after the last event id, then gives up', () => {
    render(<Stream runId="run-1" />)
    act(() => {
      FakeWebSocket.last()._open()
      FakeWebSocket.last()._message(ev(7, 'model.started'))
      FakeWebSocket.last()._close(1006)
    })
    expect(screen.getByText(/●\s+connecting/)).toBeInTheDocument()
    act(() => vi.advanceTimersByTime(RETRY_DELAY_MS))
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(FakeWebSocket.last().url).toContain('after_id=7')
    act(() => FakeWebSocket.last()._close(1006))
    act(() => vi.advanceTimersByTime(RETRY_DELAY_MS * 4))
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(screen.getByRole('alert')).toHaveTextContent(/lost/i)
  })

  it('caps the log at 500 events and resets when the run changes', () => {
    const { rerender } = render(<Stream runId="run-1" />)
    const ws = FakeWebSocket.last()
    act(() => {
      ws._open()
      for (let i = 1; i <= MAX_EVENTS + 20; i += 1) ws._message(ev(i, 'model.fitted', { duration_ms: 10 }))
    })
    expect(screen.getByTestId('event-count')).toHaveTextContent(`${MAX_EVENTS} events`)
    expect(screen.getAllByRole('listitem')).toHaveLength(MAX_EVENTS)
    rerender(<Stream runId="run-2" />)
    expect(ws.closedByClient).toBe(1000)
    expect(FakeWebSocket.last().url).toContain('/runs/run-2/')
    expect(screen.getByTestId('event-count')).toHaveTextContent('0 events')
  })

  it('holds the newest streamed table and progress; the stored table wins once the run ended', () => {
    const table = (n: number) => ({ columns: ['Model'], rows: Array.from({ length: n }, (_, i) => ({ Model: `m${i}` })) })
    const progress = { models_done: 2, models_total: 5, elapsed_s: 1, eta_s: 3 }
    const { rerender } = render(<Stream runId="run-1" rest={{ pending: true, leaderboard: null }} />)
    const ws = FakeWebSocket.last()
    expect(screen.getByTestId('table-rows')).toHaveTextContent('none')
    act(() => {
      ws._open()
      ws._message(ev(1, 'leaderboard.updated', { payload: { leaderboard: table(2), progress } }))
      ws._message(ev(2, 'model.started', { payload: { model_id: 'x' } }))
    })
    expect(screen.getByTestId('table-rows')).toHaveTextContent('2')
    expect(screen.getByTestId('progress')).toHaveTextContent('2/5')
    rerender(<Stream runId="run-1" rest={{ pending: false, leaderboard: table(4) }} />)
    expect(screen.getByTestId('table-rows')).toHaveTextContent('4')
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('summarizes payloads generically: scalars, score objects, tables and lists', () => {
    expect(summarizePayload({ model_id: 'rf', fold: 2, scores: { AUC: 0.91234, F1: 1 } })).toBe('model_id: rf   fold: 2   AUC 0.9123 · F1 1')
    expect(summarizePayload({ leaderboard: { columns: ['Model'], rows: [{}, {}] } })).toBe('leaderboard: 2 rows')
    expect(summarizePayload({ findings: [{ code: 'x' }] })).toBe('findings: 1 item')
    expect(summarizePayload({ best: ['lr', 'rf'] })).toBe('best: lr, rf')
  })

  it('tones kinds: started teal, failed red, warning amber', () => {
    expect(kindTone('model.started')).toBe('text-teal-700')
    expect(kindTone('model.failed')).toBe('text-red-700')
    expect(kindTone('model.stopped')).toBe('text-amber-700')
    expect(kindTone('warning')).toBe('text-amber-700')
    expect(kindTone('pipeline.created')).toBe('text-green-700')
  })
})

describe('useRunStream with an expired access token', () => {
  it('refreshes the token before connecting instead of being refused with 4401', async () => {
    const jwt = (exp: number) => `h.${btoa(JSON.stringify({ exp })).replace(/=+$/, '')}.s`
    useAuthStore.getState().setTokens({ access_token: jwt(Date.now() / 1000 - 60), refresh_token: 'r1' })
    mockApi({ 'POST /api/v1/auth/refresh': { access_token: 'fresh-tok', refresh_token: 'r2', token_type: 'bearer', expires_in: 900 } })
    render(<Stream runId="run-1" />)
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1))
    expect(FakeWebSocket.last().url).toContain('token=fresh-tok')
  })
})
