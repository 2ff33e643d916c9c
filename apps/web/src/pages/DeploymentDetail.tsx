import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from 'react-router-dom'

import { buildDeploymentQuery, buildPipelineQuery } from '@/api/queries/pipelines'
import { PredictTester } from '@/components/pipeline/PredictTester'
import { Card } from '@/components/ui/Card'
import { ErrorNotice, Spinner, StatCard } from '@/components/ui/feedback'
import { PageHeader } from '@/components/ui/PageHeader'
import { StatusBadge } from '@/components/ui/StatusBadge'
import { formatCount, formatDuration } from '@/lib/format'

export default function DeploymentDetail() {
  const { deploymentId = '' } = useParams()
  const deployment = useQuery(buildDeploymentQuery(deploymentId))
  const pipelineId = deployment.data?.pipeline_id ?? ''
  const pipeline = useQuery({ ...buildPipelineQuery(pipelineId), enabled: !!pipelineId })

  if (deployment.isPending) return <Spinner />
  if (deployment.isError) return <ErrorNotice error={deployment.error} />
  const d = deployment.data

  return (
    <>
      <PageHeader
        title={<code className="font-mono">{d.slug}</code>}
        crumbs={pipeline.data ? [{ label: 'Deployments', to: `/workspaces/${pipeline.data.workspace_id}/deployments` }] : []}
        meta={
          <>
            {d.status && <StatusBadge status={d.status} />}
            <span>auth: {d.auth_mode}</span>
            {pipeline.data && <Link to={`/pipelines/${pipeline.data.id}`} className="text-teal-800 hover:underline">{pipeline.data.name} v{pipeline.data.version ?? 1}</Link>}
            <code className="font-mono text-xs">POST /api/v1/deployments/{d.slug}/predict</code>
          </>
        }
      />
      <div className="mb-6 grid grid-cols-2 gap-3 md:grid-cols-4">
        <StatCard label="Requests" value={formatCount(d.request_count ?? 0)} />
        <StatCard label="Errors" value={formatCount(d.error_count ?? 0)} />
        <StatCard label="p50 latency" value={formatDuration(d.p50_ms)} />
        <StatCard label="p95 latency" value={formatDuration(d.p95_ms)} />
      </div>
      <Card title="Try a prediction" id="predict">
        {pipeline.isPending && pipelineId ? <Spinner /> : <PredictTester deployment={d} schema={pipeline.data?.input_schema} />}
      </Card>
    </>
  )
}
