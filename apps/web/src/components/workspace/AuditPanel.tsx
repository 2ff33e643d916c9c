/**
 * An audit log: filter by who, action, resource and time; page; export CSV. A workspace's
 * (owners: its Audit log tab) or, with `workspaceId={null}`, the whole instance's
 * (administrators: the Audit log page), which also says each row's workspace.
 */
import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'

import { auditApi, type AuditQuery, type AuditScope } from '@/api/endpoints'
import { buildAuditQuery } from '@/api/queries/audit'
import { Button } from '@/components/ui/Button'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Field, Input } from '@/components/ui/form'
import { StatusBadge } from '@/components/ui/StatusBadge'
import { Table, Td, Th } from '@/components/ui/Table'
import { formatDateTime } from '@/lib/format'

const PAGE = 50
const EMPTY = { actor: '', action: '', resource_type: '', since: '', until: '' }
type Filters = typeof EMPTY

/** The form's values as the API's query: blanks dropped, dates as UTC day bounds. */
function toQuery(f: Filters, offset: number): AuditQuery {
  const q: AuditQuery = { limit: PAGE, offset }
  if (f.actor.trim()) q.actor = f.actor.trim()
  if (f.action.trim()) q.action = f.action.trim()
  if (f.resource_type.trim()) q.resource_type = f.resource_type.trim()
  if (f.since) q.since = `${f.since}T00:00:00Z`
  if (f.until) q.until = `${f.until}T23:59:59Z`
  return q
}

export function AuditPanel({ workspaceId }: { workspaceId: AuditScope }) {
  const instance = workspaceId === null
  const [draft, setDraft] = useState<Filters>(EMPTY)
  const [applied, setApplied] = useState<Filters>(EMPTY)
  const [offset, setOffset] = useState(0)
  const [exportError, setExportError] = useState<unknown>(null)
  const log = useQuery(buildAuditQuery(workspaceId, toQuery(applied, offset)))

  const apply = (e: FormEvent) => {
    e.preventDefault()
    setApplied(draft)
    setOffset(0)
  }
  const exportCsv = async () => {
    setExportError(null)
    try {
      const blob = await auditApi.csv(workspaceId, toQuery(applied, 0))
      const a = document.createElement('a')
      a.href = URL.createObjectURL(blob)
      a.download = 'audit-log.csv'
      a.click()
      URL.revokeObjectURL(a.href)
    } catch (error) {
      setExportError(error)
    }
  }
  const field = (name: keyof Filters, label: string, type = 'text', placeholder = '') => (
    <Field label={label}>
      {(p) => (
        <Input {...p} type={type} placeholder={placeholder} value={draft[name]} onChange={(e) => setDraft({ ...draft, [name]: e.target.value })} />
      )}
    </Field>
  )
  const total = log.data?.total ?? 0

  return (
    <div className="space-y-4">
      <form onSubmit={apply} className="grid gap-3 sm:grid-cols-6 sm:items-end" aria-label="Audit filters">
        {field('actor', 'Who', 'text', 'email')}
        {field('action', 'Action', 'text', 'member. or project.create')}
        {field('resource_type', 'Resource', 'text', 'project, run, user…')}
        {field('since', 'From', 'date')}
        {field('until', 'To', 'date')}
        <div className="flex gap-2">
          <Button type="submit">Filter</Button>
          <Button type="button" variant="secondary" onClick={() => void exportCsv()}>Export CSV</Button>
        </div>
      </form>
      <ErrorNotice error={log.error ?? exportError} />
      {log.isPending && <Spinner />}
      {log.data?.count === 0 && <EmptyState title="No audit entries match" />}
      {!!log.data?.count && (
        <>
          <Table caption="Audit log" head={<><Th>When</Th><Th>Who</Th><Th>Action</Th><Th>Resource</Th><Th>Outcome</Th><Th>Client</Th>{instance && <Th>Workspace</Th>}</>}>
            {log.data.data.map((r) => (
              <tr key={r.id}>
                <Td className="whitespace-nowrap text-slate-500">{formatDateTime(r.at)}</Td>
                <Td>{r.actor_email || 'system'}</Td>
                <Td className="font-mono text-xs">{r.action}</Td>
                <Td title={r.resource_id}>{r.resource_type}{detailText(r.detail)}</Td>
                <Td><StatusBadge status={r.outcome} /></Td>
                <Td className="text-slate-500">{r.client}</Td>
                {instance && (
                  <Td className="font-mono text-xs text-slate-500" title={r.workspace_id ?? 'this Podium: sign-ins and accounts'}>
                    {r.workspace_id ? r.workspace_id.slice(0, 8) : '—'}
                  </Td>
                )}
              </tr>
            ))}
          </Table>
          <div className="flex items-center justify-between text-sm text-slate-600">
            <span>{offset + 1}–{offset + log.data.count} of {total}</span>
            <div className="flex gap-2">
              <Button size="sm" variant="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Newer</Button>
              <Button size="sm" variant="secondary" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>Older</Button>
            </div>
          </div>
        </>
      )}
    </div>
  )
}

function detailText(detail: Record<string, unknown>): string {
  const name = detail.email ?? detail.name ?? detail.slug ?? detail.url
  return typeof name === 'string' ? ` · ${name}` : ''
}
