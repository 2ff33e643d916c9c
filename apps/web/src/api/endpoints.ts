/**
 * The API bindings the screens call — thin wrappers over the generated client, one object per
 * resource, named as in the run-detail milestone log (`runsApi`, `dataSourcesApi`, `describeApi`…).
 */
import { callerClient, client, unwrap } from '@/api/client'
import { API_PREFIX, apiOrigin, authFetch } from '@/api/http'
import type {
  AuditEventList,
  AuthMode,
  CallerAuth,
  DataSource,
  DeploymentStatus,
  PredictionLogFilter,
  ExperimentCreate,
  ExperimentUpdate,
  ProjectUpdate,
  Role,
  RunCreate,
  TaskId,
  WebhookCreateBody,
  WebhookUpdateBody,
} from '@/api/types'
import { postFormForFile, uploadWithProgress, type UploadProgress } from '@/api/upload'
import { ApiError } from '@/lib/errors'

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
  changePassword: (body: { current_password: string; new_password: string }) =>
    unwrap(client.POST('/api/v1/auth/password', { body })),
}

/** Accounts, for administrators. */
export const usersApi = {
  list: () => unwrap(client.GET('/api/v1/users')),
  update: (user_id: string, body: { is_active: boolean }) =>
    unwrap(client.PATCH('/api/v1/users/{user_id}', { params: { path: { user_id } }, body })),
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
  add: (id: string, body: { email: string; role: Role }) =>
    unwrap(client.POST('/api/v1/workspaces/{ws}/members', { ...ws(id), body })),
  update: (id: string, user_id: string, body: { role: Role }) =>
    unwrap(client.PATCH('/api/v1/workspaces/{ws}/members/{user_id}', { params: { path: { ws: id, user_id } }, body })),
  remove: (id: string, user_id: string) =>
    unwrap(client.DELETE('/api/v1/workspaces/{ws}/members/{user_id}', { params: { path: { ws: id, user_id } } })),
}

export const apiKeysApi = {
  list: (id: string) => unwrap(client.GET('/api/v1/workspaces/{ws}/api-keys', ws(id))),
  create: (id: string, body: { name: string }) => unwrap(client.POST('/api/v1/workspaces/{ws}/api-keys', { ...ws(id), body })),
  remove: (key_id: string) => unwrap(client.DELETE('/api/v1/api-keys/{key_id}', { params: { path: { key_id } } })),
}

const project = (project_id: string) => ({ params: { path: { project_id } } })

export const projectsApi = {
  list: (id: string) => unwrap(client.GET('/api/v1/workspaces/{ws}/projects', ws(id))),
  get: (id: string) => unwrap(client.GET('/api/v1/projects/{project_id}', project(id))),
  create: (id: string, body: { name: string; description?: string }) =>
    unwrap(client.POST('/api/v1/workspaces/{ws}/projects', { ...ws(id), body })),
  update: (id: string, body: ProjectUpdate) => unwrap(client.PATCH('/api/v1/projects/{project_id}', { ...project(id), body })),
  remove: (id: string) => unwrap(client.DELETE('/api/v1/projects/{project_id}', project(id))),
}

const experiment = (experiment_id: string) => ({ params: { path: { experiment_id } } })

export const experimentsApi = {
  list: (projectId: string) => unwrap(client.GET('/api/v1/projects/{project_id}/experiments', project(projectId))),
  get: (id: string) => unwrap(client.GET('/api/v1/experiments/{experiment_id}', experiment(id))),
  create: (projectId: string, body: ExperimentCreate) =>
    unwrap(client.POST('/api/v1/projects/{project_id}/experiments', { ...project(projectId), body })),
  update: (id: string, body: ExperimentUpdate) =>
    unwrap(client.PATCH('/api/v1/experiments/{experiment_id}', { ...experiment(id), body })),
  remove: (id: string) => unwrap(client.DELETE('/api/v1/experiments/{experiment_id}', experiment(id))),
}

const source = (source_id: string) => ({ params: { path: { source_id } } })

export const dataSourcesApi = {
  list: (id: string) => unwrap(client.GET('/api/v1/workspaces/{ws}/data-sources', ws(id))),
  get: (id: string) => unwrap(client.GET('/api/v1/data-sources/{source_id}', source(id))),
  preview: (id: string) => unwrap(client.GET('/api/v1/data-sources/{source_id}/preview', source(id))),
  /** The profile (200) or, while a worker computes it, its state (202); `target` adds the target parts. */
  profile: (id: string, target?: string) =>
    unwrap(
      client.GET('/api/v1/data-sources/{source_id}/profile', {
        params: { path: { source_id: id }, query: target ? { target } : {} },
      }),
    ),
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
  plans: (t?: TaskId) => unwrap(client.GET('/api/v1/describe/plans', t ? task(t) : {})),
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
  promote: (id: string, body: { name: string; model_id?: string }) =>
    unwrap(client.POST('/api/v1/runs/{run_id}/promote', { ...run(id), body })),
  replay: (id: string) => unwrap(client.POST('/api/v1/runs/{run_id}/replay', run(id))),
}

const modelParams = (run_id: string, model_id: string) => ({ params: { path: { run_id, model_id } } })

/** A run's models: the model view, its plots, and the fit-based analysis (explanations) job. */
export const modelsApi = {
  get: (runId: string, modelId: string) => unwrap(client.GET('/api/v1/runs/{run_id}/models/{model_id}', modelParams(runId, modelId))),
  plot: (run_id: string, model_id: string, plot_id: string) =>
    unwrap(client.GET('/api/v1/runs/{run_id}/models/{model_id}/plots/{plot_id}', { params: { path: { run_id, model_id, plot_id } } })),
  analysis: (runId: string, modelId: string) =>
    unwrap(client.GET('/api/v1/runs/{run_id}/models/{model_id}/analysis', modelParams(runId, modelId))),
  analyse: (runId: string, modelId: string) =>
    unwrap(client.POST('/api/v1/runs/{run_id}/models/{model_id}/analysis', modelParams(runId, modelId))),
}

const pipeline = (pipeline_id: string) => ({ params: { path: { pipeline_id } } })

export const pipelinesApi = {
  list: (id: string) => unwrap(client.GET('/api/v1/workspaces/{ws}/pipelines', ws(id))),
  get: (id: string) => unwrap(client.GET('/api/v1/pipelines/{pipeline_id}', pipeline(id))),
  remove: (id: string) => unwrap(client.DELETE('/api/v1/pipelines/{pipeline_id}', pipeline(id))),
  /** The artifact (zip) as a Blob; fetched with the bearer token, so a plain link would not do. */
  download: (id: string) =>
    unwrap(client.GET('/api/v1/pipelines/{pipeline_id}/download', { ...pipeline(id), parseAs: 'blob' })) as Promise<Blob>,
  deploy: (id: string, body: { slug: string; auth_mode: AuthMode }) =>
    unwrap(client.POST('/api/v1/pipelines/{pipeline_id}/deployments', { ...pipeline(id), body })),
}

const deployment = (deployment_id: string) => ({ params: { path: { deployment_id } } })
/** The headers a caller sends besides the member token (which only `workspace` mode sends). */
const callerHeaders = (auth: CallerAuth): Record<string, string> => (auth.mode === 'api-key' ? { 'X-API-Key': auth.key } : {})
const CSV_CUT_SHORT =
  'The scored CSV did not arrive complete: the connection closed early. The server may be unreachable, ' +
  'or a row further down the file could not be scored (Recent requests shows why).'

export const deploymentsApi = {
  list: (id: string) => unwrap(client.GET('/api/v1/workspaces/{ws}/deployments', ws(id))),
  get: (id: string) => unwrap(client.GET('/api/v1/deployments/{deployment_id}', deployment(id))),
  update: (id: string, body: { status?: DeploymentStatus; auth_mode?: AuthMode }) =>
    unwrap(client.PATCH('/api/v1/deployments/{deployment_id}', { ...deployment(id), body })),
  remove: (id: string) => unwrap(client.DELETE('/api/v1/deployments/{deployment_id}', deployment(id))),
  /** One page of the prediction log, filtered by time range and outcome (`total` counts every match). */
  predictions: (id: string, filter: PredictionLogFilter = {}, limit = 20) =>
    unwrap(client.GET('/api/v1/deployments/{deployment_id}/predictions', { params: { path: { deployment_id: id }, query: { ...filter, limit } } })),
  /** Score JSON rows as the given caller: the member's token, an API key, or nothing. */
  predict: (slug: string, rows: Array<Record<string, unknown>>, auth: CallerAuth = { mode: 'workspace' }, explain = false) =>
    unwrap(
      (auth.mode === 'workspace' ? client : callerClient).POST('/api/v1/deployments/{slug}/predict', {
        params: { path: { slug } },
        body: explain ? { rows, explain } : { rows },
        headers: callerHeaders(auth),
      }),
    ),
  /** Forecast `h` steps with a forecasting deployment as the given caller; `exogenous`: the future
   * values of the columns the model reads (one row per step and series), when it reads some. */
  forecast: (slug: string, h: number, auth: CallerAuth = { mode: 'workspace' }, exogenous?: Array<Record<string, unknown>>) =>
    unwrap(
      (auth.mode === 'workspace' ? client : callerClient).POST('/api/v1/deployments/{slug}/forecast', {
        params: { path: { slug } },
        body: exogenous ? { h, exogenous } : { h },
        headers: callerHeaders(auth),
      }),
    ),
  /** Score a CSV file (multipart `file`) as the given caller; resolves with the scored CSV. */
  predictCsv: (slug: string, file: File, auth: CallerAuth, onProgress?: (p: UploadProgress) => void) => {
    const form = new FormData()
    form.append('file', file)
    return postFormForFile(`/deployments/${enc(slug)}/predict/csv`, form, {
      member: auth.mode === 'workspace',
      headers: callerHeaders(auth),
      onProgress,
      networkError: CSV_CUT_SHORT,
    })
  },
}

/** The audit log's filters (each narrows the log; times ISO 8601 with a zone). */
export interface AuditQuery {
  actor?: string
  action?: string
  resource_type?: string
  since?: string
  until?: string
  limit?: number
  offset?: number
}

/** Whose audit log: a workspace's (its id; owners), or with `null` the whole instance's
 * (administrators: sign-ins, accounts and every workspace's changes). */
export type AuditScope = string | null

export const auditApi = {
  // the 200 is JSON or (format=csv) text/csv; this call asks for JSON
  list: (scope: AuditScope, query: AuditQuery) =>
    (scope === null
      ? unwrap(client.GET('/api/v1/audit-log', { params: { query } }))
      : unwrap(client.GET('/api/v1/workspaces/{ws}/audit-log', { params: { path: { ws: scope }, query } }))) as Promise<AuditEventList>,
  /** The filtered log as a CSV file (every matching row). */
  csv: async (scope: AuditScope, query: AuditQuery): Promise<Blob> => {
    const params = new URLSearchParams({ format: 'csv' })
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '' && k !== 'limit' && k !== 'offset') params.set(k, String(v))
    const path = scope === null ? '/audit-log' : `/workspaces/${enc(scope)}/audit-log`
    const res = await authFetch(new Request(`${apiOrigin()}${API_PREFIX}${path}?${params}`))
    if (!res.ok) {
      const body: unknown = await res.json().catch(() => undefined)
      const detail = body && typeof body === 'object' && 'detail' in body ? body.detail : body
      throw new ApiError(res.status, detail, res.statusText || 'Export failed')
    }
    return res.blob()
  },
}

export const invitationsApi = {
  list: (id: string) => unwrap(client.GET('/api/v1/workspaces/{ws}/invitations', ws(id))),
  create: (id: string, body: { email: string; role: Role; valid_hours?: number }) =>
    unwrap(client.POST('/api/v1/workspaces/{ws}/invitations', { ...ws(id), body })),
  revoke: (id: string, invitation_id: string) =>
    unwrap(client.DELETE('/api/v1/workspaces/{ws}/invitations/{invitation_id}', { params: { path: { ws: id, invitation_id } } })),
  preview: (token: string) => unwrap(client.GET('/api/v1/invitations/{token}', { params: { path: { token } } })),
  accept: (token: string, body: { password?: string; display_name?: string }) =>
    unwrap(client.POST('/api/v1/invitations/{token}/accept', { params: { path: { token } }, body })),
}

const hook = (webhook_id: string) => ({ params: { path: { webhook_id } } })

export const webhooksApi = {
  list: (id: string) => unwrap(client.GET('/api/v1/workspaces/{ws}/webhooks', ws(id))),
  create: (id: string, body: WebhookCreateBody) =>
    unwrap(client.POST('/api/v1/workspaces/{ws}/webhooks', { ...ws(id), body })),
  update: (webhookId: string, body: WebhookUpdateBody) =>
    unwrap(client.PATCH('/api/v1/webhooks/{webhook_id}', { ...hook(webhookId), body })),
  remove: (webhookId: string) => unwrap(client.DELETE('/api/v1/webhooks/{webhook_id}', hook(webhookId))),
  ping: (webhookId: string) => unwrap(client.POST('/api/v1/webhooks/{webhook_id}/ping', hook(webhookId))),
  deliveries: (webhookId: string) => unwrap(client.GET('/api/v1/webhooks/{webhook_id}/deliveries', hook(webhookId))),
}

const depPath = (deployment_id: string) => ({ params: { path: { deployment_id } } })

export const deploymentVersionsApi = {
  list: (id: string) => unwrap(client.GET('/api/v1/deployments/{deployment_id}/versions', depPath(id))),
  switchTo: (id: string, body: { version: number; force?: boolean }) =>
    unwrap(client.POST('/api/v1/deployments/{deployment_id}/switch', { ...depPath(id), body })),
  rollback: (id: string) => unwrap(client.POST('/api/v1/deployments/{deployment_id}/rollback', depPath(id))),
}

export const driftReportsApi = {
  list: (slug: string) => unwrap(client.GET('/api/v1/deployments/{slug}/drift-reports', { params: { path: { slug } } })),
  get: (id: string) => unwrap(client.GET('/api/v1/drift-reports/{report_id}', { params: { path: { report_id: id } } })),
  create: (slug: string) =>
    unwrap(client.POST('/api/v1/deployments/{slug}/drift-reports', { params: { path: { slug } }, body: {} })),
}

export const pipelineLabelsApi = {
  put: (id: string, label: 'staging' | 'production') =>
    unwrap(client.PUT('/api/v1/pipelines/{pipeline_id}/labels/{label}', { params: { path: { pipeline_id: id, label } } })),
}
