import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import { DriftPanel } from '@/components/deployment/DriftPanel'
import { ExportLog } from '@/components/deployment/ExportLog'
import { LogSettings } from '@/components/deployment/LogSettings'
import { VersionsPanel } from '@/components/deployment/VersionsPanel'
import { RunAgain } from '@/components/run/RunAgain'
import { PipelineLabels } from '@/components/pipeline/PipelineLabels'
import { deployment, deploymentVersions, makeRun, pipeline } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

const psi = {
  id: 'psi',
  title: 'PSI per feature',
  kind: 'xy' as const,
  x: { label: 'PSI', scale: 'linear' as const },
  y: { label: 'feature', scale: 'band' as const },
  series: [{ name: 'PSI', mark: 'barh' as const, x: [0.4], y: ['age'], dashed: false }],
  notes: [],
}
const report = {
  id: 'r1',
  deployment_id: 'dep1',
  pipeline_id: 'pipe1',
  pipeline_version: 2,
  trigger: 'manual',
  window_start: '2026-11-28T09:00:00Z',
  window_end: '2026-11-28T10:00:00Z',
  rows: 120,
  severity: 'high',
  features: [],
  prediction: null,
  notes: ['120 logged rows'],
  plots: [psi],
  created_at: '2026-11-28T10:00:00Z',
}

describe('VersionsPanel', () => {
  it('switches to the chosen version and shows the history', async () => {
    const user = userEvent.setup()
    mockApi({
      'GET /api/v1/deployments/:id/versions': deploymentVersions,
      'POST /api/v1/deployments/:id/switch': { ...deployment, pipeline_version: 3 },
      'GET /api/v1/deployments/:id': deployment,
    })
    renderRoute(<VersionsPanel deploymentId="dep1" canChange />)
    expect(await screen.findByText(/Iris Best v2/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Roll back' })).toBeDisabled()
    await user.selectOptions(screen.getByLabelText('Version to serve'), '3')
    await user.click(screen.getByRole('button', { name: 'Switch' }))
    await screen.findByRole('button', { name: 'Switch' })
    const sent = requestsTo('/api/v1/deployments/dep1/switch', 'POST')
    expect(sent).toHaveLength(1)
    expect(sent[0]!.body).toEqual({ version: 3 })
    expect(screen.getByRole('table', { name: 'Version history' })).toHaveTextContent('deploy')
  })

  it('rolls back to the version the server names, and shows a refusal', async () => {
    const user = userEvent.setup()
    const detail = 'deployment was changed meanwhile; reload and try again'
    mockApi({
      'GET /api/v1/deployments/:id/versions': { ...deploymentVersions, rollback_to: 1 },
      'POST /api/v1/deployments/:id/rollback': reply(409, { detail }),
    })
    renderRoute(<VersionsPanel deploymentId="dep1" canChange />)
    await user.click(await screen.findByRole('button', { name: 'Roll back to v1' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(detail)
  })
})

describe('DriftPanel', () => {
  it('computes a report and draws its plots', async () => {
    const user = userEvent.setup()
    let reports: unknown[] = []
    mockApi({
      'GET /api/v1/deployments/:slug/drift-reports': () => ({ data: reports, count: reports.length, over_time: null }),
      'POST /api/v1/deployments/:slug/drift-reports': () => {
        reports = [{ ...report, plots: [] }]
        return report
      },
      'GET /api/v1/drift-reports/:id': report,
    })
    renderRoute(<DriftPanel slug="iris-best" canChange />)
    expect(await screen.findByText('No drift reports yet')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Compute a drift report now' }))
    expect(await screen.findByText(/severity/)).toHaveTextContent('Newest report: severity high over 120 logged rows (v2).')
    expect(requestsTo('/api/v1/deployments/iris-best/drift-reports', 'POST')).toHaveLength(1)
    expect(screen.getByRole('table', { name: 'Drift reports' })).toHaveTextContent('manual')
    expect(await screen.findByText('PSI per feature')).toBeInTheDocument()
  })
})

describe('RunAgain', () => {
  it('replays the run and opens the new one', async () => {
    const user = userEvent.setup()
    mockApi({ 'POST /api/v1/runs/:id/replay': makeRun({ id: 'run-2' }) })
    renderRoute(<RunAgain runId="run-1" />)
    await user.click(screen.getByRole('button', { name: 'Run again' }))
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /runs/run-2')
  })

  it('shows why the server refuses', async () => {
    const user = userEvent.setup()
    const detail = 'cannot replay: library versions differ in a way that changes results (scikit-learn 1.5 → 1.6)'
    mockApi({ 'POST /api/v1/runs/:id/replay': reply(409, { detail }) })
    renderRoute(<RunAgain runId="run-1" />)
    await user.click(screen.getByRole('button', { name: 'Run again' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(detail)
  })
})

describe('PipelineLabels', () => {
  it('puts a label on the version and shows it', async () => {
    const user = userEvent.setup()
    mockApi({ 'PUT /api/v1/pipelines/:id/labels/:label': { ...pipeline, labels: ['staging'] }, 'GET /api/v1/workspaces/:ws/pipelines': { data: [], count: 0 } })
    renderRoute(<PipelineLabels id="pipe1" labels={[]} />)
    await user.click(screen.getByRole('button', { name: 'Label staging' }))
    expect(requestsTo('/api/v1/pipelines/pipe1/labels/staging', 'PUT')).toHaveLength(1)
  })
})

describe('LogSettings', () => {
  it('sends the settings, a blank schedule as null', async () => {
    const user = userEvent.setup()
    mockApi({ 'PATCH /api/v1/deployments/:id': { ...deployment, log_sample_rate: 1 }, 'GET /api/v1/workspaces/:ws/deployments': { data: [], count: 0 } })
    renderRoute(<LogSettings deployment={deployment} />)
    await user.clear(screen.getByLabelText('Sample rate'))
    await user.type(screen.getByLabelText('Sample rate'), '1')
    await user.selectOptions(screen.getByLabelText('Keep'), 'counts')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    await screen.findByRole('button', { name: 'Save settings' })
    const sent = requestsTo('/api/v1/deployments/dep1', 'PATCH')
    expect(sent).toHaveLength(1)
    expect(sent[0]!.body).toEqual({ log_sample_rate: 1, log_keep: 'counts', log_retention_days: 30, log_max_rows: 10000, drift_every_hours: null })
  })
})

describe('ExportLog', () => {
  it('asks for the failed calls as CSV', async () => {
    const user = userEvent.setup()
    URL.createObjectURL = () => 'blob:x'
    URL.revokeObjectURL = () => undefined
    mockApi({ 'GET /api/v1/deployments/:id/predictions/export': () => new Response('created_at\n', { headers: { 'Content-Type': 'text/csv' } }) })
    renderRoute(<ExportLog deploymentId="dep1" slug="iris-best" filter={{ outcome: 'error' }} />)
    await user.click(screen.getByRole('button', { name: 'Export these calls as CSV' }))
    await screen.findByRole('button', { name: 'Export these calls as CSV' })
    const sent = requestsTo('/api/v1/deployments/dep1/predictions/export', 'GET')
    expect(sent).toHaveLength(1)
    expect(sent[0]!.url.searchParams.get('outcome')).toBe('error')
  })
})
