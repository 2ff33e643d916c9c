import { useQuery } from '@tanstack/react-query'
import { Link, useNavigate, useParams } from 'react-router-dom'

import { buildListExperimentsQuery, buildProjectQuery } from '@/api/queries/projects'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { PageHeader } from '@/components/ui/PageHeader'
import { Table, Td, Th } from '@/components/ui/Table'
import { formatDateTime } from '@/lib/format'
import { useRememberWorkspace } from '@/stores/ui'

export default function ProjectPage() {
  const { projectId = '' } = useParams()
  const project = useQuery(buildProjectQuery(projectId))
  const experiments = useQuery(buildListExperimentsQuery(projectId))
  const navigate = useNavigate()

  useRememberWorkspace(project.data?.workspace_id)
  if (project.isPending) return <Spinner />
  if (project.isError) return <ErrorNotice error={project.error} />
  const p = project.data

  return (
    <>
      <PageHeader
        title={p.name}
        crumbs={[{ label: 'Workspace', to: `/workspaces/${p.workspace_id}` }, { label: 'Projects' }]}
        meta={p.description}
        actions={
          <Link
            to={`/projects/${projectId}/experiments/new`}
            className="inline-flex h-8 items-center rounded-md bg-teal-700 px-3 text-sm font-medium text-white hover:bg-teal-800"
          >
            New experiment
          </Link>
        }
      />
      {experiments.isPending && <Spinner />}
      <ErrorNotice error={experiments.error} />
      {experiments.data?.data.length === 0 && (
        <EmptyState title="No experiments yet">Create one: pick data, a target to predict, and settings.</EmptyState>
      )}
      {!!experiments.data?.data.length && (
        <Table caption="Experiments" head={<><Th>Name</Th><Th>Task</Th><Th>Target</Th><Th>Data</Th><Th>Created</Th></>}>
          {experiments.data.data.map((x) => (
            <tr key={x.id} className="cursor-pointer hover:bg-slate-50" onClick={() => navigate(`/experiments/${x.id}`)}>
              <Td><Link to={`/experiments/${x.id}`} className="font-medium text-teal-800 hover:underline">{x.name}</Link></Td>
              <Td className="text-slate-600">{x.task}</Td>
              <Td className="font-mono text-xs">{x.target}</Td>
              <Td className="text-slate-600">{x.sklearn_dataset ? `sklearn:${x.sklearn_dataset}` : 'upload'}</Td>
              <Td className="whitespace-nowrap text-slate-500">{formatDateTime(x.created_at)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  )
}
