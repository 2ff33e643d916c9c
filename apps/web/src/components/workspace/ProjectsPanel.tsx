import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link } from 'react-router-dom'

import { buildListProjectsQuery, useCreateProject } from '@/api/queries/projects'
import { Button } from '@/components/ui/Button'
import { Card } from '@/components/ui/Card'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Field, Input } from '@/components/ui/form'
import { Table, Td, Th } from '@/components/ui/Table'
import { formatDateTime } from '@/lib/format'

export function ProjectsPanel({ workspaceId }: { workspaceId: string }) {
  const list = useQuery(buildListProjectsQuery(workspaceId))
  const create = useCreateProject(workspaceId)
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')

  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate(
      { name: name.trim(), description: description.trim() || undefined },
      { onSuccess: () => { setName(''); setDescription('') } },
    )
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
      <div>
        {list.isPending && <Spinner />}
        <ErrorNotice error={list.error} />
        {list.data?.data.length === 0 && <EmptyState title="No projects yet">A project groups the experiments on one problem.</EmptyState>}
        {!!list.data?.data.length && (
          <Table caption="Projects" head={<><Th>Name</Th><Th>Description</Th><Th>Created</Th></>}>
            {list.data.data.map((p) => (
              <tr key={p.id} className="hover:bg-slate-50">
                <Td>
                  <Link to={`/projects/${p.id}`} className="font-medium text-teal-800 hover:underline">{p.name}</Link>
                </Td>
                <Td className="text-slate-600">{p.description || '—'}</Td>
                <Td className="whitespace-nowrap text-slate-500">{formatDateTime(p.created_at)}</Td>
              </tr>
            ))}
          </Table>
        )}
      </div>
      <Card title="New project" id="new-project">
        <form onSubmit={submit} className="space-y-3">
          <Field label="Project name">{(p) => <Input {...p} required value={name} onChange={(e) => setName(e.target.value)} />}</Field>
          <Field label="Description">{(p) => <Input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
          <ErrorNotice error={create.error} />
          <Button type="submit" busy={create.isPending} disabled={!name.trim()}>Create project</Button>
        </form>
      </Card>
    </div>
  )
}
