/**
 * The API bindings the screens call — thin wrappers over the generated client, one object per
 * resource, named as in the run-detail milestone log (`runsApi`, `dataSourcesApi`, `describeApi`…).
 */
import { apiUrl, client, request, unwrap } from '@/api/client'
import type {
  ApiKey,
  ApiKeyCreated,
  AuthMode,
  DataSource,
  Deployment,
  ExperimentCreate,
  ListResponse,
  Pipeline,
  PredictResult,
  RunCreate,
  TaskId,
} from '@/api/types'
import { uploadWithProgress, type UploadProgress } from '@/api/upload'

const enc = encodeURIComponent

export const setupApi = {
  status: () => unwrap(client.GET('/api/v1/setup/status')),
  bootstrap: (body: { email: string; password: string; workspace_name: string }) =>
    unwrap(client.POST('/api/v1/setup/bootstrap', { body })),
}

export const authApi = {
  login: (body: { email: string; password: string }) => unwrap(client.POST('/api/v1/auth/login', { body })),
  register: (body: { email: string; password: string }) => unwrap(client.POST('/api/v1/auth/register', { body })),
  logout: (refresh_token: string) => unwrap(client.POST('/api/v1/auth/logout', { body: { refresh_token } })),
  me: () => unwrap(client.GET('/api/v1/auth/me')),
}

const ws = (id: string) => ({ params: { path: { ws: id } } })

export const workspacesApi = {
  list: () => unwrap(client.GET('/api/v1/workspaces')),
  get: (id: string) => unwrap(client.GET('/api/v1/workspaces/{ws}', ws(id))),
  create: (body: { name: string }) => unwrap(client.POST('/api/v1/workspaces', { body })),
  update: (id: string, body: { name: string }) => unwrap(client.PATCH('/api/v1/workspaces/{ws}', { ...ws(id), body })),
  remove: (id: string) => unwrap(client.DELETE('/api/v1/workspaces/{ws}', ws(id))),
}

export const membersApi = {
  list: (id: string) => unwrap(client.GET('/api/v1/workspaces/{ws}/members', ws(id))),
  add: (id: string, body: { email: string; role: string }) =>
    unwrap(client.POST('/api/v1/workspaces/{ws}/members', { ...ws(id), body })),
  update: (id: string, user_id: string, body: { role: string }) =>
    unwrap(client.PATCH('/api/v1/workspaces/{ws}/members/{user_id}', { params: { path: { ws: id, user_id } }, body })),
  remove: (id: string, user_id: string) =>
    unwrap(client.DELETE('/api/v1/workspaces/{ws}/members/{user_id}', { params: { path: { ws: id, user_id } } })),
}

/** Provisional: the server does not publish these routes in its OpenAPI yet. */
export const apiKeysApi = {
  list: (id: string) => request<ListResponse<ApiKey>>('GET', `/workspaces/${enc(id)}/api-keys`),
  create: (id: string, body: { name: string }) => request<ApiKeyCreated>('POST', `/workspaces/${enc(id)}/api-keys`, { body }),
  remove: (keyId: string) => request<void>('DELETE', `/api-keys/${enc(keyId)}`),
}

const project = (project_id: string) => ({ params: { path: { project_id } } })

export const projectsApi = {
  list: (id: string) => unwrap(client.GET('/api/v1/workspaces/{ws}/projects', ws(id))),
  get: (id: string) => unwrap(client.GET('/api/v1/projects/{project_id}', project(id))),
  create: (id: string, body: { name: string; description?: string }) =>
    unwrap(client.POST('/api/v1/workspaces/{ws}/projects', { ...ws(id), body })),
  remove: (id: string) => unwrap(client.DELETE('/api/v1/projects/{project_id}', project(id))),
}

const experiment = (experiment_id: string) => ({ params: { path: { experiment_id } } })

export const experimentsApi = {
  list: (projectId: string) => unwrap(client.GET('/api/v1/projects/{project_id}/experiments', project(projectId))),
  get: (id: string) => unwrap(client.GET('/api/v1/experiments/{experiment_id}', experiment(id))),
  create: (projectId: string, body: ExperimentCreate) =>
    unwrap(client.POST('/api/v1/projects/{project_id}/experiments', { ...project(projectId), body })),
  remove: (id: string) => unwrap(client.DELETE('/api/v1/experiments/{experiment_id}', experiment(id))),
}

const source = (source_id: string) => ({ params: { path: { source_id } } })

export const dataSourcesApi = {
  list: (id: string) => unwrap(client.GET('/api/v1/workspaces/{ws}/data-sources', ws(id))),
  get: (id: string) => unwrap(client.GET('/api/v1/data-sources/{source_id}', source(id))),
  preview: (id: string) => unwrap(client.GET('/api/v1/data-sources/{source_id}/preview', source(id))),
  remove: (id: string) => unwrap(client.DELETE('/api/v1/data-sources/{source_id}', source(id))),
  /** Multipart upload (`file`, `name`, `description`) reporting progress; XHR, as fetch cannot. */
  uploadCsv: (
    workspace_id: string,
    file: File,
    name: string,
    description?: string,
    onProgress?: (p: UploadProgress) => void,
  ) => {
    const form = new FormData()
    form.append('file', file)
    form.append('name', name)
    if (description) form.append('description', description)
    return uploadWithProgress<DataSource>(`/workspaces/${enc(workspace_id)}/data-sources/upload`, form, onProgress)
  },
}

const task = (t: TaskId) => ({ params: { query: { task: t } } })

export const describeApi = {
  tasks: () => unwrap(client.GET('/api/v1/describe/tasks')),
  models: (t: TaskId) => unwrap(client.GET('/api/v1/describe/models', task(t))),
  metrics: (t: TaskId) => unwrap(client.GET('/api/v1/describe/metrics', task(t))),
  setupParams: (t: TaskId) => unwrap(client.GET('/api/v1/describe/setup-params', task(t))),
  samples: () => unwrap(client.GET('/api/v1/describe/samples')),
}

const run = (run_id: string) => ({ params: { path: { run_id } } })

export const runsApi = {
  listForExperiment: (experimentId: string) =>
    unwrap(client.GET('/api/v1/experiments/{experiment_id}/runs', experiment(experimentId))),
  submit: (experimentId: string, body: RunCreate) =>
    unwrap(client.POST('/api/v1/experiments/{experiment_id}/runs', { ...experiment(experimentId), body })),
  get: (id: string) => unwrap(client.GET('/api/v1/runs/{run_id}', run(id))),
  events: (id: string, opts: { after_id?: number; limit?: number } = {}) =>
    unwrap(client.GET('/api/v1/runs/{run_id}/events', { params: { path: { run_id: id }, query: opts } })),
  cancel: (id: string) => unwrap(client.POST('/api/v1/runs/{run_id}/cancel', run(id))),
  wait: (id: string, timeout?: number) =>
    unwrap(client.GET('/api/v1/runs/{run_id}/wait', { params: { path: { run_id: id }, query: { timeout } } })),
  /** Provisional until the server publishes it. */
  promote: (id: string, body: { name: string; model_id?: string }) =>
    request<Pipeline>('POST', `/runs/${enc(id)}/promote`, { body }),
}

/** Provisional: the server does not publish these routes in its OpenAPI yet. */
export const pipelinesApi = {
  list: (id: string) => request<ListResponse<Pipeline>>('GET', `/workspaces/${enc(id)}/pipelines`),
  get: (id: string) => request<Pipeline>('GET', `/pipelines/${enc(id)}`),
  remove: (id: string) => request<void>('DELETE', `/pipelines/${enc(id)}`),
  downloadUrl: (id: string) => apiUrl(`/pipelines/${enc(id)}/download`),
  deploy: (id: string, body: { slug: string; auth_mode: AuthMode }) =>
    request<Deployment>('POST', `/pipelines/${enc(id)}/deployments`, { body }),
}

/** Provisional: the server does not publish these routes in its OpenAPI yet. */
export const deploymentsApi = {
  list: (id: string) => request<ListResponse<Deployment>>('GET', `/workspaces/${enc(id)}/deployments`),
  get: (id: string) => request<Deployment>('GET', `/deployments/${enc(id)}`),
  update: (id: string, body: Partial<Pick<Deployment, 'status' | 'auth_mode'>>) =>
    request<Deployment>('PATCH', `/deployments/${enc(id)}`, { body }),
  remove: (id: string) => request<void>('DELETE', `/deployments/${enc(id)}`),
  predict: (slug: string, rows: Array<Record<string, unknown>>) =>
    request<PredictResult>('POST', `/deployments/${enc(slug)}/predict`, { body: { rows } }),
}
