/**
 * The API bindings the screens call — thin wrappers over the request client, one object per
 * resource, named as in the run-detail milestone log (`runsApi`, `dataSourcesApi`, `describeApi`…).
 */
import { apiUrl, request } from '@/api/client'
import type {
  ApiKey,
  ApiKeyCreated,
  AuthMode,
  DataPreview,
  DataSource,
  Deployment,
  Experiment,
  ExperimentCreate,
  ListResponse,
  Member,
  MetricInfo,
  ModelInfo,
  Pipeline,
  PredictResult,
  Project,
  Role,
  Run,
  RunCreate,
  SampleInfo,
  SetupParam,
  SetupStatus,
  TaskInfo,
  TaskId,
  TokenPair,
  User,
  WsEvent,
  Workspace,
} from '@/api/types'
import { uploadWithProgress, type UploadProgress } from '@/api/upload'

const enc = encodeURIComponent

export const setupApi = {
  status: () => request<SetupStatus>('GET', '/setup/status'),
  bootstrap: (body: { email: string; password: string; workspace_name: string }) =>
    request<TokenPair>('POST', '/setup/bootstrap', { body }),
}

export const authApi = {
  login: (body: { email: string; password: string }) => request<TokenPair>('POST', '/auth/login', { body }),
  register: (body: { email: string; password: string }) => request<User>('POST', '/auth/register', { body }),
  logout: (refresh_token: string) => request<void>('POST', '/auth/logout', { body: { refresh_token } }),
  me: () => request<User>('GET', '/auth/me'),
}

export const workspacesApi = {
  list: () => request<ListResponse<Workspace>>('GET', '/workspaces'),
  get: (id: string) => request<Workspace>('GET', `/workspaces/${enc(id)}`),
  create: (body: { name: string }) => request<Workspace>('POST', '/workspaces', { body }),
  update: (id: string, body: { name: string }) => request<Workspace>('PATCH', `/workspaces/${enc(id)}`, { body }),
  remove: (id: string) => request<void>('DELETE', `/workspaces/${enc(id)}`),
}

export const membersApi = {
  list: (ws: string) => request<ListResponse<Member>>('GET', `/workspaces/${enc(ws)}/members`),
  add: (ws: string, body: { email: string; role: Role }) =>
    request<Member>('POST', `/workspaces/${enc(ws)}/members`, { body }),
  update: (ws: string, userId: string, body: { role: Role }) =>
    request<Member>('PATCH', `/workspaces/${enc(ws)}/members/${enc(userId)}`, { body }),
  remove: (ws: string, userId: string) => request<void>('DELETE', `/workspaces/${enc(ws)}/members/${enc(userId)}`),
}

export const apiKeysApi = {
  list: (ws: string) => request<ListResponse<ApiKey>>('GET', `/workspaces/${enc(ws)}/api-keys`),
  create: (ws: string, body: { name: string }) =>
    request<ApiKeyCreated>('POST', `/workspaces/${enc(ws)}/api-keys`, { body }),
  remove: (id: string) => request<void>('DELETE', `/api-keys/${enc(id)}`),
}

export const projectsApi = {
  list: (ws: string) => request<ListResponse<Project>>('GET', `/workspaces/${enc(ws)}/projects`),
  get: (id: string) => request<Project>('GET', `/projects/${enc(id)}`),
  create: (ws: string, body: { name: string; description?: string }) =>
    request<Project>('POST', `/workspaces/${enc(ws)}/projects`, { body }),
  remove: (id: string) => request<void>('DELETE', `/projects/${enc(id)}`),
}

export const experimentsApi = {
  list: (projectId: string) => request<ListResponse<Experiment>>('GET', `/projects/${enc(projectId)}/experiments`),
  get: (id: string) => request<Experiment>('GET', `/experiments/${enc(id)}`),
  create: (projectId: string, body: ExperimentCreate) =>
    request<Experiment>('POST', `/projects/${enc(projectId)}/experiments`, { body }),
  remove: (id: string) => request<void>('DELETE', `/experiments/${enc(id)}`),
}

export const dataSourcesApi = {
  list: (ws: string) => request<ListResponse<DataSource>>('GET', `/workspaces/${enc(ws)}/data-sources`),
  get: (id: string) => request<DataSource>('GET', `/data-sources/${enc(id)}`),
  preview: (id: string, limit = 20) =>
    request<DataPreview>('GET', `/data-sources/${enc(id)}/preview`, { query: { limit } }),
  remove: (id: string) => request<void>('DELETE', `/data-sources/${enc(id)}`),
  /** Multipart upload (`file`, `name`, `description`) with progress callbacks. */
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

export const describeApi = {
  tasks: () => request<TaskInfo[]>('GET', '/describe/tasks'),
  models: (task: TaskId) => request<ModelInfo[]>('GET', '/describe/models', { query: { task } }),
  metrics: (task: TaskId) => request<MetricInfo[]>('GET', '/describe/metrics', { query: { task } }),
  setupParams: (task: TaskId) => request<SetupParam[]>('GET', '/describe/setup-params', { query: { task } }),
  samples: () => request<SampleInfo[]>('GET', '/describe/samples'),
}

export const runsApi = {
  listForExperiment: (experimentId: string) =>
    request<ListResponse<Run>>('GET', `/experiments/${enc(experimentId)}/runs`),
  submit: (experimentId: string, body: RunCreate) =>
    request<Run>('POST', `/experiments/${enc(experimentId)}/runs`, { body }),
  get: (id: string) => request<Run>('GET', `/runs/${enc(id)}`),
  events: (id: string, opts: { after_id?: number; limit?: number } = {}) =>
    request<ListResponse<WsEvent>>('GET', `/runs/${enc(id)}/events`, { query: opts }),
  cancel: (id: string) => request<Run>('POST', `/runs/${enc(id)}/cancel`),
  wait: (id: string, timeout?: number) => request<Run>('GET', `/runs/${enc(id)}/wait`, { query: { timeout } }),
  promote: (id: string, body: { name: string; model_id?: string }) =>
    request<Pipeline>('POST', `/runs/${enc(id)}/promote`, { body }),
}

export const pipelinesApi = {
  list: (ws: string) => request<ListResponse<Pipeline>>('GET', `/workspaces/${enc(ws)}/pipelines`),
  get: (id: string) => request<Pipeline>('GET', `/pipelines/${enc(id)}`),
  remove: (id: string) => request<void>('DELETE', `/pipelines/${enc(id)}`),
  downloadUrl: (id: string) => apiUrl(`/pipelines/${enc(id)}/download`),
  deploy: (id: string, body: { slug: string; auth_mode: AuthMode }) =>
    request<Deployment>('POST', `/pipelines/${enc(id)}/deployments`, { body }),
}

export const deploymentsApi = {
  list: (ws: string) => request<ListResponse<Deployment>>('GET', `/workspaces/${enc(ws)}/deployments`),
  get: (id: string) => request<Deployment>('GET', `/deployments/${enc(id)}`),
  update: (id: string, body: Partial<Pick<Deployment, 'status' | 'auth_mode'>>) =>
    request<Deployment>('PATCH', `/deployments/${enc(id)}`, { body }),
  remove: (id: string) => request<void>('DELETE', `/deployments/${enc(id)}`),
  predict: (slug: string, rows: Array<Record<string, unknown>>) =>
    request<PredictResult>('POST', `/deployments/${enc(slug)}/predict`, { body: { rows } }),
}
