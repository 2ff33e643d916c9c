import { useQuery } from '@tanstack/react-query'
import type { KeyboardEvent } from 'react'
import { useParams, useSearchParams } from 'react-router-dom'

import { buildWorkspaceQuery } from '@/api/queries/workspaces'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'
import { PageHeader } from '@/components/ui/PageHeader'
import { ApiKeysPanel } from '@/components/workspace/ApiKeysPanel'
import { DataSourcesPanel } from '@/components/workspace/DataSourcesPanel'
import { MembersPanel } from '@/components/workspace/MembersPanel'
import { ProjectsPanel } from '@/components/workspace/ProjectsPanel'
import { cn } from '@/lib/cn'
import { useRememberWorkspace } from '@/stores/ui'

const TABS = [
  { id: 'projects', label: 'Projects' },
  { id: 'data', label: 'Data sources' },
  { id: 'members', label: 'Members' },
  { id: 'api-keys', label: 'API keys' },
] as const
type TabId = (typeof TABS)[number]['id']

export default function WorkspacePage() {
  const { workspaceId = '' } = useParams()
  const ws = useQuery(buildWorkspaceQuery(workspaceId))
  const [params, setParams] = useSearchParams()
  const tab = (TABS.find((t) => t.id === params.get('tab'))?.id ?? 'projects') as TabId


  const select = (id: TabId) => setParams(id === 'projects' ? {} : { tab: id }, { replace: true })
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab)
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    if (!step) return
    const next = TABS[(i + step + TABS.length) % TABS.length]
    if (next) {
      select(next.id)
      document.getElementById(`tab-${next.id}`)?.focus()
    }
  }

  useRememberWorkspace(workspaceId)
  if (ws.isPending) return <Spinner />
  if (ws.isError) return <ErrorNotice error={ws.error} />

  return (
    <>
      <PageHeader
        title={ws.data.name}
        crumbs={[{ label: 'Workspaces', to: '/' }]}
      />
      <div role="tablist" aria-label="Workspace sections" className="mb-5 flex gap-1 border-b border-slate-200" onKeyDown={onKey}>
        {TABS.map((t) => (
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
      </div>
    </>
  )
}
