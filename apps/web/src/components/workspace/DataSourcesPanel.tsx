import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'react-router-dom'

import { buildListDataSourcesQuery, useDeleteDataSource } from '@/api/queries/dataSources'
import { Button } from '@/components/ui/Button'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Table, Td, Th } from '@/components/ui/Table'
import { UploadForm } from '@/components/workspace/UploadForm'
import { formatBytes, formatCount, formatDateTime } from '@/lib/format'

function DeleteButton({ workspaceId, id, name }: { workspaceId: string; id: string; name: string }) {
  const remove = useDeleteDataSource(workspaceId)
  const [confirming, setConfirming] = useState(false)
  if (!confirming) {
    return (
      <Button variant="ghost" size="sm" onClick={() => setConfirming(true)} aria-label={`Delete ${name}`}>
        Delete
      </Button>
    )
  }
  return (
    <span className="inline-flex items-center gap-1">
      <Button variant="danger" size="sm" busy={remove.isPending} onClick={() => remove.mutate(id)} aria-label={`Confirm delete ${name}`}>
        Confirm delete
      </Button>
      <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>Keep</Button>
      {remove.error && <ErrorNotice error={remove.error} />}
    </span>
  )
}

export function DataSourcesPanel({ workspaceId }: { workspaceId: string }) {
  const list = useQuery(buildListDataSourcesQuery(workspaceId))
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
      <div>
        {list.isPending && <Spinner />}
        <ErrorNotice error={list.error} />
        {list.data?.data.length === 0 && <EmptyState title="No data sources yet">Upload a CSV or Parquet file to train on it.</EmptyState>}
        {!!list.data?.data.length && (
          <Table
            caption="Data sources"
            head={<><Th>Name</Th><Th>Kind</Th><Th className="text-right">Rows</Th><Th className="text-right">Columns</Th><Th className="text-right">Size</Th><Th>Uploaded</Th><Th><span className="sr-only">Actions</span></Th></>}
          >
            {list.data.data.map((d) => (
              <tr key={d.id} className="hover:bg-slate-50">
                <Td>
                  <Link to={`/data-sources/${d.id}`} className="font-medium text-teal-800 hover:underline">{d.name}</Link>
                  {d.description && <div className="text-xs text-slate-500">{d.description}</div>}
                </Td>
                <Td className="text-slate-600 uppercase">{d.kind}</Td>
                <Td className="text-right font-mono tabular-nums">{formatCount(d.n_rows)}</Td>
                <Td className="text-right font-mono tabular-nums">{formatCount(d.n_columns)}</Td>
                <Td className="text-right font-mono tabular-nums">{formatBytes(d.size_bytes)}</Td>
                <Td className="whitespace-nowrap text-slate-500">{formatDateTime(d.created_at)}</Td>
                <Td className="text-right"><DeleteButton workspaceId={workspaceId} id={d.id} name={d.name} /></Td>
              </tr>
            ))}
          </Table>
        )}
      </div>
      <UploadForm workspaceId={workspaceId} />
    </div>
  )
}
