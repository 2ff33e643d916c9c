import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from 'react-router-dom'

import { buildListDeploymentsQuery } from '@/api/queries/deployments'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { PageHeader } from '@/components/ui/PageHeader'
import { StatusBadge } from '@/components/ui/StatusBadge'
import { Table, Td, Th } from '@/components/ui/Table'
import { formatCount, formatDateTime, formatDuration } from '@/lib/format'
import { useRememberWorkspace } from '@/stores/ui'

export default function DeploymentsPage() {
  const { workspaceId = '' } = useParams()
  const list = useQuery(buildListDeploymentsQuery(workspaceId))
  useRememberWorkspace(workspaceId)

  return (
    <>
      <PageHeader title="Deployments" crumbs={[{ label: 'Workspace', to: `/workspaces/${workspaceId}` }]} meta="Prediction endpoints serving your pipelines." />
      {list.isPending && <Spinner />}
      <ErrorNotice error={list.error} />
      {list.data?.data.length === 0 && <EmptyState title="No deployments yet">Deploy a pipeline from its page.</EmptyState>}
      {!!list.data?.data.length && (
        <Table caption="Deployments" head={<><Th>Slug</Th><Th>Status</Th><Th>Auth</Th><Th className="text-right">Requests</Th><Th className="text-right">Errors</Th><Th className="text-right">p95</Th><Th>Created</Th></>}>
          {list.data.data.map((d) => (
            <tr key={d.id} className="hover:bg-slate-50">
              <Td><Link to={`/deployments/${d.id}`} className="font-mono font-medium text-teal-800 hover:underline">{d.slug}</Link></Td>
              <Td>{d.status ? <StatusBadge status={d.status} /> : '—'}</Td>
              <Td className="text-slate-600">{d.auth_mode}</Td>
              <Td className="text-right font-mono tabular-nums">{formatCount(d.request_count)}</Td>
              <Td className="text-right font-mono tabular-nums">{formatCount(d.error_count)}</Td>
              <Td className="text-right font-mono tabular-nums">{formatDuration(d.latency_p95_ms)}</Td>
              <Td className="whitespace-nowrap text-slate-500">{formatDateTime(d.created_at)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  )
}
