import { useQuery } from '@tanstack/react-query'
import type { KeyboardEvent } from 'react'
import { useNavigate, useParams, useSearchParams } from 'react-router-dom'

import { buildWorkspaceQuery, useDeleteWorkspace, useRenameWorkspace } from '@/api/queries/workspaces'
import type { Workspace } from '@/api/types'
import { ConfirmDelete } from '@/components/ui/ConfirmDelete'
import { Spinner } from '@/components/ui/feedback'
import { LoadError } from '@/components/ui/LoadError'
import { PageHeader } from '@/components/ui/PageHeader'
import { RenameForm } from '@/components/ui/RenameForm'
import { ApiKeysPanel } from '@/components/workspace/ApiKeysPanel'
import { AuditPanel } from '@/components/workspace/AuditPanel'
import { DataSourcesPanel } from '@/components/workspace/DataSourcesPanel'
import { MembersPanel } from '@/components/workspace/MembersPanel'
import { ProjectsPanel } from '@/components/workspace/ProjectsPanel'
import { WebhooksPanel } from '@/components/workspace/WebhooksPanel'
import { cn } from '@/lib/cn'
import { useRememberWorkspace, useUiStore } from '@/stores/ui'

const TABS = [
  { id: 'projects', label: 'Projects' },
  { id: 'data', label: 'Data sources' },
  { id: 'members', label: 'Members' },
  { id: 'api-keys', label: 'API keys' },
  { id: 'webhooks', label: 'Webhooks', owners: true },
  { id: 'audit', label: 'Audit log', owners: true },
] as const
type TabId = (typeof TABS)[number]['id']

/** Rename and delete, for owners only; a deleted workspace is forgotten and the list shown. */
function WorkspaceActions({ ws }: { ws: Workspace }) {
  const rename = useRenameWorkspace(ws.id)
  const remove = useDeleteWorkspace()
  const navigate = useNavigate()
  const remembered = useUiStore((s) => s.workspaceId)
  const setRemembered = useUiStore((s) => s.setWorkspaceId)
  if (!ws.can.administer) return null
  const onDeleted = () => {
    if (remembered === ws.id) setRemembered(null)
    navigate('/')
  }
  return (
    <>
      <RenameForm
        what="workspace"
        current={{ name: ws.name }}
        busy={rename.isPending}
        error={rename.error}
        onSave={(v, done) => rename.mutate(v.name, { onSuccess: done })}
        onClose={rename.reset}
      />
      <ConfirmDelete
        what={`workspace ${ws.name}`}
        warning="Its projects, data, pipelines and deployments are deleted with it."
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate(ws.id, { onSuccess: onDeleted })}
      />
    </>
  )
}

export default function WorkspacePage() {
  const { workspaceId = '' } = useParams()
  const ws = useQuery(buildWorkspaceQuery(workspaceId))
  const [params, setParams] = useSearchParams()
  // Webhooks and the audit log are for owners; other roles do not see their tabs.
  const visible = TABS.filter((t) => !('owners' in t) || ws.data?.can.administer)
  const tab = (visible.find((t) => t.id === params.get('tab'))?.id ?? 'projects') as TabId

  const select = (id: TabId) => setParams(id === 'projects' ? {} : { tab: id }, { replace: true })
  const onKey = (e: KeyboardEvent) => {
    const i = visible.findIndex((t) => t.id === tab)
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    if (!step) return
    const next = visible[(i + step + visible.length) % visible.length]
    if (next) {
      select(next.id)
      document.getElementById(`tab-${next.id}`)?.focus()
    }
  }

  useRememberWorkspace(workspaceId)
  if (ws.isPending) return <Spinner />
  if (ws.isError) return <LoadError error={ws.error} what="Workspace" id={workspaceId} />

  return (
    <>
      <PageHeader
        title={ws.data.name}
        crumbs={[{ label: 'Workspaces', to: '/' }]}
        meta={ws.data.role && <span>Your role: {ws.data.role}</span>}
        actions={<WorkspaceActions ws={ws.data} />}
      />
      <div role="tablist" aria-label="Workspace sections" className="mb-5 flex gap-1 border-b border-slate-200" onKeyDown={onKey}>
        {visible.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            role="tab"
            type="button"
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => select(t.id)}
            className={cn(
              '-mb-px border-b-2 px-3 py-2 text-sm font-medium',
              tab === t.id ? 'border-teal-700 text-teal-800' : 'border-transparent text-slate-500 hover:text-slate-800',
            )}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'projects' && <ProjectsPanel workspaceId={workspaceId} />}
        {tab === 'data' && <DataSourcesPanel workspaceId={workspaceId} />}
        {tab === 'members' && <MembersPanel workspaceId={workspaceId} />}
        {tab === 'api-keys' && <ApiKeysPanel workspaceId={workspaceId} />}
        {tab === 'webhooks' && <WebhooksPanel workspaceId={workspaceId} />}
        {tab === 'audit' && <AuditPanel workspaceId={workspaceId} />}
      </div>
    </>
  )
}
