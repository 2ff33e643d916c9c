/** Routes. Every screen is its own lazily loaded chunk so the first page stays small. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { lazy, Suspense } from 'react'
import { BrowserRouter, useRoutes, type RouteObject } from 'react-router-dom'

import { AuthGate } from '@/components/AuthGate'
import { Layout } from '@/components/Layout'
import { Spinner } from '@/components/ui/feedback'
import { ApiError } from '@/lib/errors'

const LoginPage = lazy(() => import('@/pages/LoginPage'))
const SetupPage = lazy(() => import('@/pages/SetupPage'))
const RegisterPage = lazy(() => import('@/pages/RegisterPage'))
const WorkspacesPage = lazy(() => import('@/pages/WorkspacesPage'))
const WorkspacePage = lazy(() => import('@/pages/WorkspacePage'))
const DataSourcePage = lazy(() => import('@/pages/DataSourcePage'))
const ProjectPage = lazy(() => import('@/pages/ProjectPage'))
const NewExperimentPage = lazy(() => import('@/pages/NewExperimentPage'))
const ExperimentDetail = lazy(() => import('@/pages/ExperimentDetail'))
const RunDetail = lazy(() => import('@/pages/RunDetail'))
const RunsCompare = lazy(() => import('@/pages/RunsCompare'))
const ModelDetail = lazy(() => import('@/pages/ModelDetail'))
const PipelinesPage = lazy(() => import('@/pages/PipelinesPage'))
const PipelineDetail = lazy(() => import('@/pages/PipelineDetail'))
const DeploymentsPage = lazy(() => import('@/pages/DeploymentsPage'))
const DeploymentDetail = lazy(() => import('@/pages/DeploymentDetail'))
const AccountPage = lazy(() => import('@/pages/AccountPage'))
const UsersPage = lazy(() => import('@/pages/UsersPage'))
const AuditLogPage = lazy(() => import('@/pages/AuditLogPage'))
const AcceptInvitationPage = lazy(() => import('@/pages/AcceptInvitationPage'))
const NotFoundPage = lazy(() => import('@/pages/NotFoundPage'))

export const routes: RouteObject[] = [
  { path: '/setup', element: <SetupPage /> },
  { path: '/login', element: <LoginPage /> },
  { path: '/register', element: <RegisterPage /> },
  { path: '/invitations/:token', element: <AcceptInvitationPage /> },
  {
    element: (
      <AuthGate>
        <Layout />
      </AuthGate>
    ),
    children: [
      { path: '/', element: <WorkspacesPage /> },
      { path: '/workspaces/:workspaceId', element: <WorkspacePage /> },
      { path: '/workspaces/:workspaceId/pipelines', element: <PipelinesPage /> },
      { path: '/workspaces/:workspaceId/deployments', element: <DeploymentsPage /> },
      { path: '/data-sources/:dataSourceId', element: <DataSourcePage /> },
      { path: '/projects/:projectId', element: <ProjectPage /> },
      { path: '/projects/:projectId/experiments/new', element: <NewExperimentPage /> },
      { path: '/experiments/:experimentId', element: <ExperimentDetail /> },
      { path: '/experiments/:experimentId/compare', element: <RunsCompare /> },
      { path: '/runs/:runId', element: <RunDetail /> },
      { path: '/runs/:runId/models/:modelId', element: <ModelDetail /> },
      { path: '/pipelines/:pipelineId', element: <PipelineDetail /> },
      { path: '/deployments/:deploymentId', element: <DeploymentDetail /> },
      { path: '/account', element: <AccountPage /> },
      { path: '/users', element: <UsersPage /> },
      { path: '/audit-log', element: <AuditLogPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]

/** Retry transient failures, never a 4xx (the answer will not change). */
function shouldRetry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false
  return failures < 2
}

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: shouldRetry, staleTime: 5_000, refetchOnWindowFocus: false } },
})

/** Declarative routing (no data router): keeps react-router's share of the first page small. */
function AppRoutes() {
  return useRoutes(routes)
}

export default function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Suspense fallback={<Spinner />}>
          <AppRoutes />
        </Suspense>
      </BrowserRouter>
    </QueryClientProvider>
  )
}
