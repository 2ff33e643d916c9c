import { useQuery } from '@tanstack/react-query'
import { Link, useNavigate, useParams } from 'react-router-dom'

import { buildPipelineQuery, useDeletePipeline } from '@/api/queries/pipelines'
import { inputColumns } from '@/api/types'
import { SourceModel } from '@/components/model/SourceModel'
import { DeployForm } from '@/components/pipeline/DeployForm'
import { DownloadButton } from '@/components/pipeline/DownloadButton'
import { Card } from '@/components/ui/Card'
import { ConfirmDelete } from '@/components/ui/ConfirmDelete'
import { Spinner, StatCard } from '@/components/ui/feedback'
import { KeyValues } from '@/components/ui/KeyValues'
import { LoadError } from '@/components/ui/LoadError'
import { PageHeader } from '@/components/ui/PageHeader'
import { StatusBadge } from '@/components/ui/StatusBadge'
import { PipelineLabels } from '@/components/pipeline/PipelineLabels'
import { Table, Td, Th } from '@/components/ui/Table'
import { exactNumber, formatBytes, formatDateTime, formatNumber } from '@/lib/format'
import { useRememberWorkspace } from '@/stores/ui'

/** Numeric metrics, one level of grouping flattened: `{cv: {AUC: …}}` → `cv · AUC`. */
export function flatMetrics(metrics: Record<string, unknown>): Array<[string, number]> {
  const out: Array<[string, number]> = []
  for (const [k, v] of Object.entries(metrics)) {
    if (typeof v === 'number') out.push([k, v])
    else if (v && typeof v === 'object') {
      for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) if (typeof v2 === 'number') out.push([`${k} · ${k2}`, v2])
    }
  }
  return out
}

export default function PipelineDetail() {
  const { pipelineId = '' } = useParams()
  const pipeline = useQuery(buildPipelineQuery(pipelineId))
  const remove = useDeletePipeline()
  const navigate = useNavigate()

  useRememberWorkspace(pipeline.data?.workspace_id)
  if (pipeline.isPending) return <Spinner />
  if (pipeline.isError) return <LoadError error={pipeline.error} what="Pipeline" id={pipelineId} />
  const p = pipeline.data
  const ready = p.status === 'ready'
  const metrics = flatMetrics(p.metrics ?? {})
  const columns = inputColumns(p.input_schema)
  const manifest = {
    name: p.name,
    version: p.version,
    task: p.task,
    model_id: p.model_id,
    run_id: p.run_id,
    sha256: p.sha256,
    size: formatBytes(p.size_bytes),
    built: formatDateTime(p.finished_at),
    library_versions: p.library_versions,
    onnx: p.onnx,
  }

  return (
    <>
      <PageHeader
        title={<>{p.name} <span className="font-mono text-base text-slate-500">v{p.version}</span></>}
        crumbs={[{ label: 'Pipelines', to: `/workspaces/${p.workspace_id}/pipelines` }]}
        meta={
          <>
            <StatusBadge status={p.status} />
            <span>model <code className="font-mono">{p.model_id}</code></span>
            {p.run_id && <Link to={`/runs/${p.run_id}`} className="text-teal-800 hover:underline">source run</Link>}
            <span>created {formatDateTime(p.created_at)}</span>
            {ready && <PipelineLabels id={p.id} labels={p.labels ?? []} />}
          </>
        }
        actions={
          <>
            {ready && <DownloadButton id={p.id} filename={`${p.name}-v${p.version}.zip`} />}
            <ConfirmDelete
              what={`pipeline ${p.name} v${p.version}`}
              warning="Its artifact is removed too. A deployed pipeline cannot be deleted."
              busy={remove.isPending}
              error={remove.error}
              onConfirm={() => remove.mutate(p.id, { onSuccess: () => navigate(`/workspaces/${p.workspace_id}/pipelines`) })}
            />
          </>
        }
      />
      {p.status === 'failed' && p.error && (
        <pre role="alert" className="mb-5 rounded-md border border-red-200 bg-red-50 p-3 font-mono text-xs whitespace-pre-wrap text-red-800">{p.error}</pre>
      )}
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-6">
          {metrics.length > 0 && (
            <div className="grid grid-cols-2 gap-3 md:grid-cols-4" aria-label="Metrics" role="group">
              {metrics.map(([k, v]) => <StatCard key={k} label={k} value={<span title={exactNumber(v)}>{formatNumber(v)}</span>} />)}
            </div>
          )}
          <Card title="Checksum" id="checksum">
            <code data-testid="pipeline-sha256" className="font-mono text-xs break-all text-slate-800">{p.sha256 ?? 'computed when the build finishes'}</code>
          </Card>
          <Card title="Manifest" id="manifest">
            <KeyValues label="Manifest" data={manifest} />
          </Card>
          {columns.length > 0 && (
            <Card title="Input schema" id="input-schema" bodyClassName="p-0">
              <Table caption="Input schema" className="rounded-none border-0" head={<><Th>Column</Th><Th>Kind</Th><Th>Type</Th></>}>
                {columns.map((c) => (
                  <tr key={c.name}><Td className="font-medium">{c.name}</Td><Td>{c.kind ?? '—'}</Td><Td className="font-mono text-xs">{c.dtype ?? '—'}</Td></tr>
                ))}
              </Table>
            </Card>
          )}
        </div>
        <Card title="Deploy" id="deploy">
          {!ready && <p className="mb-3 text-sm text-slate-500">The pipeline can be deployed once it is ready.</p>}
          <DeployForm pipelineId={p.id} defaultName={p.name} disabled={!ready} />
        </Card>
      </div>
      {p.run_id && p.model_id && <SourceModel runId={p.run_id} modelId={p.model_id} workspaceId={p.workspace_id} />}
    </>
  )
}
