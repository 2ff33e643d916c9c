import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router-dom'

import { buildDeploymentQuery, useDeleteDeployment, useSetDeploymentStatus } from '@/api/queries/deployments'
import { buildPipelineQuery } from '@/api/queries/pipelines'
import { callerAuth, inputColumns } from '@/api/types'
import { CallerCredentials } from '@/components/pipeline/CallerCredentials'
import { DriftPanel } from '@/components/deployment/DriftPanel'
import { LogSettings } from '@/components/deployment/LogSettings'
import { PredictionLog } from '@/components/deployment/PredictionLog'
import { VersionsPanel } from '@/components/deployment/VersionsPanel'
import { CsvScorer } from '@/components/pipeline/CsvScorer'
import { ForecastTester } from '@/components/pipeline/ForecastTester'
import { PredictTester } from '@/components/pipeline/PredictTester'
import { Button } from '@/components/ui/Button'
import { Card } from '@/components/ui/Card'
import { ConfirmDelete } from '@/components/ui/ConfirmDelete'
import { ErrorNotice, Spinner, StatCard } from '@/components/ui/feedback'
import { LoadError } from '@/components/ui/LoadError'
import { PageHeader } from '@/components/ui/PageHeader'
import { StatusBadge } from '@/components/ui/StatusBadge'
import { formatCount, formatDuration } from '@/lib/format'
import { useRememberWorkspace } from '@/stores/ui'

export default function DeploymentDetail() {
  const { deploymentId = '' } = useParams()
  const deployment = useQuery(buildDeploymentQuery(deploymentId))
  const pipelineId = deployment.data?.pipeline_id ?? ''
  const pipeline = useQuery({ ...buildPipelineQuery(pipelineId), enabled: !!pipelineId })
  const setStatus = useSetDeploymentStatus(deploymentId)
  const remove = useDeleteDeployment()
  const navigate = useNavigate()
  const [apiKey, setApiKey] = useState('')
  useRememberWorkspace(deployment.data?.workspace_id)

  if (deployment.isPending) return <Spinner />
  if (deployment.isError) return <LoadError error={deployment.error} what="Deployment" id={deploymentId} />
  const d = deployment.data
  const paused = d.status === 'paused'
  const auth = callerAuth(d.auth_mode, apiKey)
  const forecasting = pipeline.data?.task === 'forecasting'

  return (
    <>
      <PageHeader
        title={<code className="font-mono">{d.slug}</code>}
        crumbs={[{ label: 'Deployments', to: `/workspaces/${d.workspace_id}/deployments` }]}
        meta={
          <>
            <StatusBadge status={d.status} />
            <span>auth: {d.auth_mode}</span>
            {pipeline.data && <Link to={`/pipelines/${pipeline.data.id}`} className="text-teal-800 hover:underline">{pipeline.data.name} v{pipeline.data.version}</Link>}
            <code className="font-mono text-xs">POST /api/v1/deployments/{d.slug}/{forecasting ? 'forecast' : 'predict'}</code>
          </>
        }
        actions={
          <>
            <Button variant="secondary" busy={setStatus.isPending} onClick={() => setStatus.mutate(paused ? 'active' : 'paused')}>
              {paused ? 'Resume' : 'Pause'}
            </Button>
            <ConfirmDelete
              what={`deployment ${d.slug}`}
              warning="Its endpoint stops answering at once; the pipeline stays."
              busy={remove.isPending}
              error={remove.error}
              onConfirm={() => remove.mutate(d.id, { onSuccess: () => navigate(`/workspaces/${d.workspace_id}/deployments`) })}
            />
          </>
        }
      />
      <ErrorNotice error={setStatus.error} />
      <div className="mb-6 grid grid-cols-2 gap-3 md:grid-cols-4">
        <StatCard label="Requests" value={formatCount(d.request_count)} />
        <StatCard label="Errors" value={formatCount(d.error_count)} />
        <StatCard label="p50 latency" value={formatDuration(d.latency_p50_ms)} />
        <StatCard label="p95 latency" value={formatDuration(d.latency_p95_ms)} />
      </div>
      <div className="space-y-6">
        <Card title="Caller" id="caller">
          <CallerCredentials authMode={d.auth_mode} apiKey={apiKey} onApiKey={setApiKey} />
        </Card>
        {forecasting ? (
          <Card title="Try a forecast" id="forecast">
            <ForecastTester deployment={d} auth={auth} future={inputColumns(pipeline.data?.input_schema)} />
          </Card>
        ) : (
          <>
            <Card title="Try a prediction" id="predict">
              {pipelineId && pipeline.isPending ? <Spinner /> : <PredictTester deployment={d} schema={inputColumns(pipeline.data?.input_schema)} examples={pipeline.data?.examples} auth={auth} />}
            </Card>
            <Card title="Score a CSV file" id="score-csv">
              <CsvScorer deployment={d} auth={auth} />
            </Card>
          </>
        )}
        <Card title="Prediction log and drift schedule" id="log-settings">
          <LogSettings deployment={d} />
        </Card>
        <Card title="Versions" id="versions">
          <VersionsPanel deploymentId={d.id} canChange />
        </Card>
        <Card title="Drift" id="drift">
          <DriftPanel slug={d.slug} canChange />
        </Card>
        <Card title="Recent requests" id="requests">
          <p className="mb-2 text-sm text-slate-500">
            A sample of the calls: every failed one, and {Math.round(d.log_sample_rate * 100)} % of the rest ({d.log_keep === 'full' ? 'inputs and outputs' : 'counts only'}, {d.log_retention_days} days, at most {formatCount(d.log_max_rows)}). The counts above include every call.
          </p>
          <PredictionLog deploymentId={d.id} slug={d.slug} />
        </Card>
      </div>
    </>
  )
}
