import { act, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'

import type { Deployment } from '@/api/types'
import DeploymentDetail from '@/pages/DeploymentDetail'
import { useAuthStore } from '@/stores/auth'
import { FakeXhr } from '@/test/FakeXhr'
import { deployment, pipeline, deploymentPanelRoutes } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

const SCORED = [
  'sepal_length,id,prediction,proba_setosa,proba_versicolor',
  '5.1,a,setosa,0.98,0.02',
  '6.2,b,versicolor,0.1,0.9',
  '"5,9",c,versicolor,0.2,0.8',
].join('\n') + '\n'
const csvFile = () => new File(['sepal_length,id\n5.1,a\n6.2,b\n"5,9",c\n'], 'flowers.csv', { type: 'text/csv' })

function open(d: Deployment = deployment) {
  FakeXhr.install()
  useAuthStore.getState().setTokens({ access_token: 'tok', refresh_token: 'r' })
  mockApi({
    'GET /api/v1/deployments/:id': d,
    'GET /api/v1/pipelines/:id': pipeline,
    'GET /api/v1/deployments/:id/predictions': { data: [], count: 0 },
    ...deploymentPanelRoutes,
  })
  return renderRoute(<DeploymentDetail />, { path: '/deployments/:deploymentId', url: '/deployments/dep1' })
}

async function scoreFile(user: ReturnType<typeof userEvent.setup>) {
  await user.upload(await screen.findByLabelText('CSV file'), csvFile())
  await user.click(screen.getByRole('button', { name: 'Score CSV' }))
  await vi.waitFor(() => expect(FakeXhr.instances.length).toBeGreaterThan(0))
  return FakeXhr.instances.at(-1)!
}

describe('DeploymentDetail: score a CSV file', () => {
  it('sends the file with the member token, then offers the scored CSV with its row count', async () => {
    const user = userEvent.setup()
    open()
    expect(await screen.findByTestId('caller-auth')).toHaveTextContent('with your member token')
    expect(screen.getByRole('button', { name: 'Score CSV' })).toBeDisabled()
    const xhr = await scoreFile(user)
    expect(xhr.method).toBe('POST')
    expect(new URL(xhr.url).pathname).toBe('/api/v1/deployments/iris-best/predict/csv')
    expect(xhr.headers.Authorization).toBe('Bearer tok')
    expect(xhr.headers['X-API-Key']).toBeUndefined()
    expect((xhr.body?.get('file') as File).name).toBe('flowers.csv')
    act(() => xhr._progress(20, 40))
    expect(screen.getByRole('status', { name: 'Scoring progress' })).toHaveTextContent('Uploading… 50%')
    act(() => xhr._progress(40, 40))
    expect(screen.getByRole('status', { name: 'Scoring progress' })).toHaveTextContent('Scoring on the server…')
    const statsBefore = requestsTo('/api/v1/deployments/dep1', 'GET').length

    act(() => xhr._respondText(200, SCORED, {
      'Content-Type': 'text/csv',
      'Content-Disposition': 'attachment; filename="iris-best-predictions.csv"',
      'X-Request-ID': 'req-77',
    }))
    const summary = await screen.findByTestId('csv-summary')
    expect(summary).toHaveTextContent('Scored 3 rows')
    expect(summary).toHaveTextContent('added prediction, proba_setosa, proba_versicolor')
    expect(summary).toHaveTextContent('request req-77')
    const result = screen.getByRole('status', { name: 'Scored CSV' })
    expect(within(result).getByRole('table')).toHaveTextContent('5,9') // a quoted comma stays in its cell
    await vi.waitFor(() => expect(requestsTo('/api/v1/deployments/dep1', 'GET').length).toBeGreaterThan(statsBefore))

    URL.createObjectURL = vi.fn(() => 'blob:scored')
    URL.revokeObjectURL = vi.fn()
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    await user.click(within(result).getByRole('button', { name: /Download iris-best-predictions\.csv/ }))
    expect(click).toHaveBeenCalledTimes(1)
    const saved = vi.mocked(URL.createObjectURL).mock.calls[0]?.[0] as Blob
    expect(await saved.text()).toBe(SCORED)
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('iris-best-predictions.csv')
  })

  it('shows a 422’s detail in the server’s words', async () => {
    const user = userEvent.setup()
    open()
    const xhr = await scoreFile(user)
    act(() => xhr._respond(422, { detail: "missing column 'sepal_width'; the pipeline needs sepal_length, sepal_width" }))
    expect(await screen.findByRole('alert')).toHaveTextContent("Not scored: missing column 'sepal_width'; the pipeline needs sepal_length, sepal_width")
    expect(screen.queryByTestId('csv-summary')).not.toBeInTheDocument()
  })

  it('says so when the scored file is cut short', async () => {
    const user = userEvent.setup()
    open()
    const xhr = await scoreFile(user)
    act(() => xhr._fail())
    expect(await screen.findByRole('alert')).toHaveTextContent('The scored CSV did not arrive complete')
  })

  it('an api-key deployment asks for a key and sends it as X-API-Key, never the member token', async () => {
    const user = userEvent.setup()
    open({ ...deployment, auth_mode: 'api-key' })
    mockApi({ 'POST /api/v1/deployments/:slug/predict': { predictions: ['setosa'], probabilities: null, latency_ms: 1, request_id: 'r1' } })
    const key = await screen.findByLabelText('API key')
    expect(screen.getByText('Enter an API key to call this deployment.')).toBeInTheDocument()
    expect(await screen.findByRole('button', { name: 'Predict' })).toBeDisabled()
    await user.type(key, 'pk_live_123')
    await user.click(screen.getByRole('button', { name: 'Predict' }))
    await screen.findByText('setosa')
    const sent = requestsTo('/api/v1/deployments/iris-best/predict')[0]!
    expect(sent.headers.get('X-API-Key')).toBe('pk_live_123')
    expect(sent.headers.get('Authorization')).toBeNull()

    const xhr = await scoreFile(user)
    expect(xhr.headers['X-API-Key']).toBe('pk_live_123')
    expect(xhr.headers.Authorization).toBeUndefined()
    act(() => xhr._respond(401, { detail: 'invalid API key' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Not scored: invalid API key')
    expect(FakeXhr.instances).toHaveLength(1) // a refused key is not "fixed" by refreshing the member token
  })

  it('a public deployment is called without any credentials', async () => {
    const user = userEvent.setup()
    open({ ...deployment, auth_mode: 'public' })
    mockApi({ 'POST /api/v1/deployments/:slug/predict': reply(409, { detail: "deployment 'iris-best' is paused" }) })
    expect(await screen.findByTestId('caller-auth')).toHaveTextContent('without any credentials')
    await user.click(await screen.findByRole('button', { name: 'Predict' }))
    expect(await screen.findByRole('alert')).toHaveTextContent("deployment 'iris-best' is paused")
    expect(requestsTo('/api/v1/deployments/iris-best/predict')[0]?.headers.get('Authorization')).toBeNull()
    const xhr = await scoreFile(user)
    expect(xhr.headers.Authorization).toBeUndefined()
    expect(xhr.headers['X-API-Key']).toBeUndefined()
  })
})
