import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useParams } from 'react-router-dom'

import { buildDataSourcePreviewQuery, buildDataSourceQuery } from '@/api/queries/dataSources'
import { DataPreview } from '@/components/DataPreview'
import { ProfileLoader } from '@/components/profile/ProfileLoader'
import { ProfileView } from '@/components/profile/ProfileView'
import { Card } from '@/components/ui/Card'
import { EmptyState, ErrorNotice, Spinner, StatCard } from '@/components/ui/feedback'
import { Field, Select } from '@/components/ui/form'
import { PageHeader } from '@/components/ui/PageHeader'
import { Table, Td, Th } from '@/components/ui/Table'
import { formatBytes, formatCount, formatDateTime } from '@/lib/format'
import { useRememberWorkspace } from '@/stores/ui'

export default function DataSourcePage() {
  const { dataSourceId = '' } = useParams()
  const ds = useQuery(buildDataSourceQuery(dataSourceId))
  const preview = useQuery(buildDataSourcePreviewQuery(dataSourceId))
  const [target, setTarget] = useState('')

  useRememberWorkspace(ds.data?.workspace_id)
  if (ds.isPending) return <Spinner />
  if (ds.isError) return <ErrorNotice error={ds.error} />
  const d = ds.data

  return (
    <>
      <PageHeader
        title={d.name}
        crumbs={[{ label: 'Workspace', to: `/workspaces/${d.workspace_id}?tab=data` }, { label: 'Data sources' }]}
        meta={<><span className="uppercase">{d.kind}</span><span>Uploaded {formatDateTime(d.created_at)}</span>{d.description && <span>{d.description}</span>}</>}
      />
      <div className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <StatCard label="Rows" value={formatCount(d.n_rows)} />
        <StatCard label="Columns" value={formatCount(d.n_columns)} />
        <StatCard label="Size" value={formatBytes(d.size_bytes)} />
        <div className="rounded-lg border border-slate-200 bg-white px-4 py-3" role="group" aria-label="Checksum">
          <div className="text-xs font-medium tracking-wide text-slate-500 uppercase">SHA-256</div>
          <code className="mt-1 block font-mono text-[11px] leading-4 break-all text-slate-800" data-testid="checksum">
            {d.sha256 ?? '—'}
          </code>
        </div>
      </div>
      <div className="grid gap-6 xl:grid-cols-[30rem_minmax(0,1fr)]">
        <Card title="Inferred schema" id="schema" bodyClassName="p-0">
          {d.columns?.length ? (
            <Table caption="Inferred schema" className="rounded-none border-0" head={<><Th>Column</Th><Th>Type</Th><Th>Kind</Th><Th className="text-right">Missing</Th><Th className="text-right">Unique</Th></>}>
              {d.columns.map((c) => (
                <tr key={c.name}>
                  <Td className="font-medium">{c.name}</Td>
                  <Td className="font-mono text-xs text-slate-500">{c.dtype ?? '—'}</Td>
                  <Td className="text-slate-600">{c.kind ?? '—'}</Td>
                  <Td className="text-right font-mono tabular-nums">{formatCount(c.missing)}</Td>
                  <Td className="text-right font-mono tabular-nums">{formatCount(c.unique)}</Td>
                </tr>
              ))}
            </Table>
          ) : (
            <div className="p-4"><EmptyState title="No schema recorded" /></div>
          )}
        </Card>
        <Card title="Preview" id="preview">
          {preview.isPending && <Spinner />}
          <ErrorNotice error={preview.error} />
          {preview.data && <DataPreview preview={preview.data} />}
        </Card>
      </div>
      <section aria-label="Profile" className="mt-8">
        <div className="mb-4 flex flex-wrap items-end justify-between gap-4">
          <h2 className="text-lg font-semibold text-slate-900">Profile</h2>
          <Field label="Profile against a target" hint="Adds the target's distribution and each column against it." className="w-72">
            {(p) => (
              <Select {...p} value={target} onChange={(e) => setTarget(e.target.value)}>
                <option value="">No target</option>
                {(d.columns ?? []).map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
              </Select>
            )}
          </Field>
        </div>
        <ProfileLoader sourceId={d.id} target={target || undefined}>
          {(profile) => <ProfileView profile={profile} />}
        </ProfileLoader>
      </section>
    </>
  )
}
