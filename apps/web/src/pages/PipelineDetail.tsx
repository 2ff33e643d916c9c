import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from 'react-router-dom'

import { pipelinesApi } from '@/api/endpoints'
import { buildPipelineQuery } from '@/api/queries/pipelines'
import { DeployForm } from '@/components/pipeline/DeployForm'
import { Card } from '@/components/ui/Card'
import { ErrorNotice, Spinner, StatCard } from '@/components/ui/feedback'
import { KeyValues } from '@/components/ui/KeyValues'
import { PageHeader } from '@/components/ui/PageHeader'
import { StatusBadge } from '@/components/ui/StatusBadge'
import { formatBytes, formatDateTime, formatNumber } from '@/lib/format'

export default function PipelineDetail() {
  const { pipelineId = '' } = useParams()
  const pipeline = useQuery(buildPipelineQuery(pipelineId))

  if (pipeline.isPending) return <Spinner />
  if (pipeline.isError) return <ErrorNotice error={pipeline.error} />
  const p = pipeline.data
  const ready = !p.status || p.status === 'ready'
  const metrics = Object.entries(p.metrics ?? {}).filter(([, v]) => typeof v === 'number') as Array<[string, number]>

  return (
    <>
      <PageHeader
        title={<>{p.name} <span className="font-mono text-base text-slate-500">v{p.version ?? 1}</span></>}
        crumbs={[{ label: 'Pipelines', to: `/workspaces/${p.workspace_id}/pipelines` }]}
        meta={
          <>
            {p.status && <StatusBadge status={p.status} />}
            {p.model_id && <span>model <code className="font-mono">{p.model_id}</code></span>}
            {p.run_id && <Link to={`/runs/${p.run_id}`} className="text-teal-800 hover:underline">source run</Link>}
            <span>created {formatDateTime(p.created_at)}</span>
          </>
        }
        actions={
          ready ? (
            <a href={pipelinesApi.downloadUrl(p.id)} download className="inline-flex h-8 items-center rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-800 hover:bg-slate-50">
              Download artifact
            </a>
          ) : undefined
        }
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-6">
          {metrics.length > 0 && (
            <div className="grid grid-cols-2 gap-3 md:grid-cols-4" aria-label="Metrics" role="group">
              {metrics.map(([k, v]) => <StatCard key={k} label={k} value={formatNumber(v)} />)}
            </div>
          )}
          <Card title="Artifact" id="artifact">
            <KeyValues label="Artifact" data={{ sha256: p.sha256 ?? '—', size: formatBytes(p.size_bytes) }} />
          </Card>
          <Card title="Manifest" id="manifest">
            <KeyValues label="Manifest" data={p.manifest ?? {}} />
          </Card>
          {p.input_schema && p.input_schema.length > 0 && (
            <Card title="Input schema" id="input-schema">
              <KeyValues label="Input schema" data={Object.fromEntries(p.input_schema.map((c) => [c.name, c.kind ?? c.dtype ?? '']))} />
            </Card>
          )}
        </div>
        <Card title="Deploy" id="deploy">
          {!ready && <p className="mb-3 text-sm text-slate-500">The pipeline can be deployed once it is ready.</p>}
          <DeployForm pipelineId={p.id} defaultName={p.name} disabled={!ready} />
        </Card>
      </div>
    </>
  )
}
