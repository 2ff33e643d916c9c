import { act, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import RunDetail from '@/pages/RunDetail'
import { useAuthStore } from '@/stores/auth'
import { useUiStore } from '@/stores/ui'
import { FakeWebSocket } from '@/test/FakeWebSocket'
import { makeRun } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

const board = (n: number) => ({
  columns: ['Model', 'Accuracy', 'TT (Sec)'],
  rows: Array.from({ length: n }, (_, i) => ({ model_id: `m${i}`, Model: `Model ${i}`, Accuracy: 0.9 - i / 100, 'TT (Sec)': 0.25 })),
})
const open = () => renderRoute(<RunDetail />, { path: '/runs/:runId', url: '/runs/run-1234567890' })

describe('RunDetail', () => {
  it('shows the status header, streams the leaderboard live and cancels while pending', async () => {
    useAuthStore.getState().setTokens({ access_token: 'tok', refresh_token: 'r' })
    let run = makeRun()
    mockApi({
      'GET /api/v1/runs/:id': () => run,
      'POST /api/v1/runs/:id/cancel': () => (run = makeRun({ status: 'cancelled', cancel_requested: true, finished_at: '2026-11-28T10:00:05Z' })),
    })
    const user = userEvent.setup()
    open()
    expect(await screen.findByRole('heading', { name: /Run run-1234/ })).toBeInTheDocument()
    expect(screen.getByTestId('status-badge')).toHaveTextContent('running')
    expect(screen.getByText('No leaderboard yet')).toBeInTheDocument()

    const ws = FakeWebSocket.last()
    expect(ws.url).toContain('/api/v1/runs/run-1234567890/events/ws?token=tok')
    act(() => {
      ws._open()
      ws._message({ id: 1, run_id: run.id, ts: '2026-11-28T10:00:01Z', kind: 'leaderboard.updated', duration_ms: null, payload: { leaderboard: board(2) } })
    })
    const table = screen.getByTestId('leaderboard')
    expect(within(table).getAllByRole('row')).toHaveLength(3)
    act(() => ws._message({ id: 2, run_id: run.id, ts: '2026-11-28T10:00:02Z', kind: 'leaderboard.updated', duration_ms: null, payload: { leaderboard: board(3) } }))
    expect(within(screen.getByTestId('leaderboard')).getAllByRole('row')).toHaveLength(4)
    expect(FakeWebSocket.instances).toHaveLength(1) // the page's one stream feeds events and table alike
    expect(screen.getByTestId('event-count')).toHaveTextContent('2 events')

    await user.click(screen.getByRole('button', { name: 'Cancel run' }))
    expect(await screen.findByText('cancelled')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Cancel run' })).not.toBeInTheDocument()
    expect(requestsTo('/api/v1/runs/run-1234567890/cancel', 'POST')).toHaveLength(1)
  })

  it('says "n of N models" with the time left, and shows the engine’s warnings', async () => {
    useAuthStore.getState().setTokens({ access_token: 'tok', refresh_token: 'r' })
    const run = makeRun()
    mockApi({ 'GET /api/v1/runs/:id': () => run })
    open()
    expect(await screen.findByText('● live')).toBeInTheDocument()
    const ws = FakeWebSocket.last()
    const progress = (done: number, eta: number) => ({ models_done: done, models_total: 15, elapsed_s: 1, eta_s: eta })
    const left = 'left out of the default compare: Gaussian Process Classifier (gpc, ~9 s) — pick them under Models'
    act(() => {
      ws._open()
      ws._message({ id: 1, run_id: run.id, ts: '2026-11-28T10:00:01Z', kind: 'warning', duration_ms: null, payload: { code: 'costly_models', message: left, models: ['gpc'] } })
      ws._message({ id: 2, run_id: run.id, ts: '2026-11-28T10:00:01Z', kind: 'model.started', duration_ms: null, payload: { model_id: 'lr', name: 'LR', progress: progress(0, 40) } })
    })
    expect(screen.getByTestId('run-progress')).toHaveTextContent('0 of 15 models · about 40.0s left')
    expect(within(screen.getByRole('list', { name: 'Run warnings' })).getByText(/Gaussian Process Classifier/)).toBeInTheDocument()
    act(() => ws._message({ id: 3, run_id: run.id, ts: '2026-11-28T10:00:02Z', kind: 'leaderboard.updated', duration_ms: null, payload: { leaderboard: board(1), progress: progress(1, 12.5) } }))
    expect(screen.getByTestId('run-progress')).toHaveTextContent('1 of 15 models · about 12.5s left')
  })

  it('promotes a succeeded comparison, defaulting to the best model', async () => {
    mockApi({
      'GET /api/v1/runs/:id': makeRun({
        status: 'succeeded',
        finished_at: '2026-11-28T10:00:09Z',
        leaderboard: board(3),
        result: { best: ['m0'], findings: [{ level: 'warning', code: 'imbalance', message: 'Class "b" has 3 rows.', column: 'species' }] },
      }),
      'POST /api/v1/runs/:id/promote': { id: 'pipe1', workspace_id: 'ws1', name: 'iris-best', version: 1, status: 'building' },
    })
    const user = userEvent.setup()
    open()
    expect(await screen.findByTestId('status-badge')).toHaveTextContent('succeeded')
    expect(screen.queryByRole('button', { name: 'Cancel run' })).not.toBeInTheDocument()
    expect(screen.getByTestId('run-duration')).toHaveTextContent('9.0s')
    expect(within(screen.getByRole('list', { name: 'Data checks' })).getByText(/Class "b" has 3 rows/)).toBeInTheDocument()
    const name = screen.getByLabelText('Pipeline name')
    await user.clear(name)
    await user.type(name, 'iris-best')
    expect(screen.getByLabelText('Model to promote')).toHaveDisplayValue(/Best: Model 0/)
    await user.click(screen.getByRole('button', { name: 'Promote to pipeline' }))
    expect(await screen.findByRole('button', { name: '✓ Promoted' })).toBeDisabled()
    expect(requestsTo('/api/v1/runs/run-1234567890/promote')[0]?.body).toEqual({ name: 'iris-best' })
    expect(screen.getByRole('link', { name: 'Open pipeline' })).toHaveAttribute('href', '/pipelines/pipe1')
  })

  it('says why an auto run’s row has no holdout score', async () => {
    const autoBoard = {
      columns: ['Model', 'Accuracy', 'Holdout', 'TT (Sec)'],
      rows: [
        { model_id: 'auto_ensemble', Model: 'Auto ensemble', Accuracy: 0.96, Holdout: 0.95, 'TT (Sec)': 0.3 },
        { model_id: 'rf', Model: 'Random Forest', Accuracy: 0.95, Holdout: 0.94, 'TT (Sec)': 0.2 },
        { model_id: 'lr', Model: 'Logistic Regression', Accuracy: 0.93, Holdout: null, 'TT (Sec)': 0.1 },
        { model_id: 'svm', Model: 'SVM', Accuracy: 0.7, Holdout: null, 'TT (Sec)': 0.4, partial: true, folds_done: 3 },
      ],
    }
    const best = { model_id: 'auto_ensemble', model: 'Auto ensemble', metric: 'Accuracy', score: 0.96 }
    mockApi({ 'GET /api/v1/runs/:id': makeRun({ plan: 'auto', status: 'succeeded', finished_at: '2026-11-28T10:00:09Z', leaderboard: autoBoard, best }) })
    open()
    const table = await screen.findByTestId('leaderboard')
    const col = within(table).getAllByRole('columnheader').findIndex((h) => h.textContent?.startsWith('Holdout'))
    const holdout = (name: string) => within(within(table).getByRole('row', { name: new RegExp(name) })).getAllByRole('cell')[col]!
    expect(holdout('Random Forest')).toHaveTextContent('0.9400')
    expect(holdout('Logistic Regression')).toHaveTextContent('—')
    expect(holdout('Logistic Regression')).toHaveAttribute('title', expect.stringMatching(/^Auto scores the holdout only for the model it returns/))
    expect(holdout('SVM')).toHaveAttribute('title', expect.stringMatching(/^Stopped before its last fold/))
    expect(screen.getByText(/Holdout: scored only for the model Auto returns/)).toBeInTheDocument()
  })

  it('offers promote on a cancelled tune that kept its best, not on a cancelled compare', async () => {
    const kept = makeRun({
      plan: 'tune', status: 'cancelled', promotable: true, finished_at: '2026-11-28T10:00:09Z',
      leaderboard: board(1), result: { best: ['m0'] },
    })
    mockApi({
      'GET /api/v1/runs/:id': kept,
      'POST /api/v1/runs/:id/promote': { id: 'pipe2', workspace_id: 'ws1', name: 'kept', version: 1, status: 'building' },
    })
    const user = userEvent.setup()
    const first = open()
    await user.click(await screen.findByRole('button', { name: 'Promote to pipeline' }))
    expect(await screen.findByRole('link', { name: 'Open pipeline' })).toHaveAttribute('href', '/pipelines/pipe2')
    first.unmount()

    mockApi({ 'GET /api/v1/runs/:id': makeRun({ status: 'cancelled', finished_at: '2026-11-28T10:00:09Z', leaderboard: board(2) }) })
    open()
    expect(await screen.findByTestId('leaderboard')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Promote to pipeline' })).not.toBeInTheDocument()
  })

  it('shows the server’s words when promote is refused', async () => {
    mockApi({
      'GET /api/v1/runs/:id': makeRun({ status: 'succeeded', finished_at: '2026-11-28T10:00:09Z', leaderboard: board(1) }),
      'POST /api/v1/runs/:id/promote': reply(409, { detail: 'A pipeline named "x" already exists.' }),
    })
    const user = userEvent.setup()
    open()
    await user.click(await screen.findByRole('button', { name: 'Promote to pipeline' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('A pipeline named "x" already exists.')
  })

  it('shows a failed run’s error and the request snapshot', async () => {
    mockApi({ 'GET /api/v1/runs/:id': makeRun({ status: 'failed', error: 'DataError: column "y" not found', finished_at: '2026-11-28T10:00:01Z' }) })
    open()
    expect(await screen.findByText(/column "y" not found/)).toBeInTheDocument()
    const dl = screen.getByLabelText('Request snapshot', { selector: 'dl' })
    expect(within(dl).getByText('seed')).toBeInTheDocument()
    expect(within(dl).getByText('42')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Promote/ })).not.toBeInTheDocument()
  })

  it('says a failed run will list no models, not that rows are on their way', async () => {
    mockApi({ 'GET /api/v1/runs/:id': makeRun({ status: 'failed', error: 'no time column', leaderboard: null, finished_at: '2026-11-28T10:00:01Z' }) })
    open()
    expect(await screen.findByText(/The run failed before any model finished/)).toBeInTheDocument()
    expect(screen.queryByText(/Rows appear here as models finish/)).not.toBeInTheDocument()
  })

  it('shows "Run not found" with a way back for an unknown id', async () => {
    useUiStore.getState().setWorkspaceId('ws1')
    mockApi({ 'GET /api/v1/runs/:id': reply(404, { detail: 'Run run-1234567890 not found.' }) })
    open()
    expect(await screen.findByRole('heading', { name: 'Run not found' })).toBeInTheDocument()
    expect(screen.getByText('run-1234567890')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Back to the workspace' })).toHaveAttribute('href', '/workspaces/ws1')
    expect(FakeWebSocket.instances).toHaveLength(0) // no event stream for a run that is not there
  })

  it('treats a malformed id (the server’s 422) as not found, not as raw validation text', async () => {
    mockApi({
      'GET /api/v1/runs/:id': reply(422, { detail: [{ loc: ['path', 'run_id'], msg: 'Input should be a valid UUID', type: 'uuid_parsing' }] }),
    })
    renderRoute(<RunDetail />, { path: '/runs/:runId', url: '/runs/not-a-uuid' })
    expect(await screen.findByRole('heading', { name: 'Run not found' })).toBeInTheDocument()
    expect(screen.queryByText(/valid UUID/)).not.toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Back to workspaces' })).toHaveAttribute('href', '/')
  })

  it('shows other failures in the server’s words', async () => {
    mockApi({ 'GET /api/v1/runs/:id': reply(403, { detail: 'You are not a member of this workspace.' }) })
    open()
    expect(await screen.findByRole('alert')).toHaveTextContent('You are not a member of this workspace.')
  })
})
