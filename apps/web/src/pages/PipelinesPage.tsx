import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from 'react-router-dom'

import { buildListPipelinesQuery } from '@/api/queries/pipelines'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { PageHeader } from '@/components/ui/PageHeader'
import { StatusBadge } from '@/components/ui/StatusBadge'
import { Table, Td, Th } from '@/components/ui/Table'
import type { Pipeline } from '@/api/types'
import { formatBytes, formatDateTime, formatNumber } from '@/lib/format'
import { useRememberWorkspace } from '@/stores/ui'

/** The pipeline's headline metric: the run's sort metric (`metrics.sort`), else the first CV score. */
export function headlineMetric(p: Pipeline): { metric: string; score: number } | null {
  const metrics = (p.metrics ?? {}) as { cv?: Record<string, unknown>; sort?: unknown }
  const cv = metrics.cv ?? {}
  const sort = typeof metrics.sort === 'string' ? metrics.sort : undefined
  const entry = sort !== undefined && typeof cv[sort] === 'number' ? ([sort, cv[sort]] as const) : Object.entries(cv).find(([, v]) => typeof v === 'number')
  return entry ? { metric: entry[0], score: entry[1] as number } : null
}

function Metric({ pipeline }: { pipeline: Pipeline }) {
  const head = headlineMetric(pipeline)
  if (!head) return <>—</>
  return (
    <span title={`${head.metric} ${head.score}`} data-testid="pipeline-metric">
      <span className="mr-1 text-xs text-slate-500">{head.metric}</span>
      {formatNumber(head.score)}
    </span>
  )
}

export default function PipelinesPage() {
  const { workspaceId = '' } = useParams()
  const list = useQuery(buildListPipelinesQuery(workspaceId))
  useRememberWorkspace(workspaceId)

  return (
    <>
      <PageHeader title="Pipelines" crumbs={[{ label: 'Workspace', to: `/workspaces/${workspaceId}` }]} meta="Versioned, checksummed models promoted from successful runs." />
      {list.isPending && <Spinner />}
      <ErrorNotice error={list.error} />
      {list.data?.data.length === 0 && <EmptyState title="No pipelines yet">Promote a succeeded run to create one.</EmptyState>}
      {!!list.data?.data.length && (
        <Table caption="Pipelines" head={<><Th>Name</Th><Th>Version</Th><Th>Model</Th><Th className="text-right">Metric</Th><Th>Status</Th><Th className="text-right">Size</Th><Th>Created</Th></>}>
          {list.data.data.map((p) => (
            <tr key={p.id} className="hover:bg-slate-50">
              <Td><Link to={`/pipelines/${p.id}`} className="font-medium text-teal-800 hover:underline">{p.name}</Link></Td>
              <Td className="font-mono">v{p.version ?? 1}</Td>
              <Td className="font-mono text-xs">{p.model_id ?? '—'}</Td>
              <Td className="text-right font-mono whitespace-nowrap tabular-nums"><Metric pipeline={p} /></Td>
              <Td>{p.status ? <StatusBadge status={p.status} /> : '—'}</Td>
              <Td className="text-right font-mono tabular-nums">{formatBytes(p.size_bytes)}</Td>
              <Td className="whitespace-nowrap text-slate-500">{formatDateTime(p.created_at)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  )
}
