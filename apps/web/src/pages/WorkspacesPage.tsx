import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link } from 'react-router-dom'

import { buildListWorkspacesQuery, useCreateWorkspace } from '@/api/queries/workspaces'
import { Button } from '@/components/ui/Button'
import { Card } from '@/components/ui/Card'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Field, Input } from '@/components/ui/form'
import { PageHeader } from '@/components/ui/PageHeader'

export default function WorkspacesPage() {
  const list = useQuery(buildListWorkspacesQuery())
  const create = useCreateWorkspace()
  const [name, setName] = useState('')

  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate({ name: name.trim() }, { onSuccess: () => setName('') })
  }

  return (
    <>
      <PageHeader title="Workspaces" meta="Everything — data, experiments, pipelines — lives in a workspace." />
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <div>
          {list.isPending && <Spinner />}
          <ErrorNotice error={list.error} />
          {list.data && list.data.data.length === 0 && (
            <EmptyState title="No workspaces yet">Create one to start uploading data.</EmptyState>
          )}
          <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" aria-label="Workspaces">
            {list.data?.data.map((ws) => (
              <li key={ws.id}>
                <Link
                  to={`/workspaces/${ws.id}`}
                  className="block rounded-lg border border-slate-200 bg-white p-4 shadow-xs transition hover:border-teal-600 hover:shadow-sm"
                >
                  <div className="font-medium text-slate-900">{ws.name}</div>
                  {ws.role && <div className="mt-1 text-xs text-slate-500">Your role: {ws.role}</div>}
                </Link>
              </li>
            ))}
          </ul>
        </div>
        <Card title="New workspace" id="new-workspace">
          <form onSubmit={submit} className="space-y-3">
            <Field label="Workspace name">
              {(p) => <Input {...p} required value={name} onChange={(e) => setName(e.target.value)} />}
            </Field>
            <ErrorNotice error={create.error} />
            <Button type="submit" busy={create.isPending} disabled={!name.trim()}>
              Create workspace
            </Button>
          </form>
        </Card>
      </div>
    </>
  )
}
