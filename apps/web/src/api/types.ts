/**
 * Domain types used by the screens. Provisional until the server's OpenAPI lands; then each one
 * becomes an alias of the generated schema (`components['schemas'][...]`).
 */
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'
export type RunPlan = 'setup' | 'create' | 'compare'
export type Role = 'owner' | 'editor' | 'viewer'
export type DataSourceKind = 'csv' | 'parquet'
export type AuthMode = 'workspace' | 'api-key' | 'public'
export type TaskId = 'binary' | 'multiclass' | 'regression'

export interface ListResponse<T> {
  data: T[]
  count: number
}

export interface TokenPair {
  access_token: string
  refresh_token: string
  token_type: string
  expires_in: number
}

export interface SetupStatus {
  needs_setup: boolean
}

export interface User {
  id: string
  email: string
  created_at?: string
}

export interface Workspace {
  id: string
  name: string
  role?: Role | null
  created_at?: string
}

export interface Member {
  user_id: string
  email: string
  role: Role
}

export interface ApiKey {
  id: string
  name: string
  prefix?: string | null
  created_at?: string
  last_used_at?: string | null
}

export interface ApiKeyCreated extends ApiKey {
  key: string
}

export interface Project {
  id: string
  workspace_id: string
  name: string
  description?: string | null
  created_at?: string
}

export interface ColumnSchema {
  name: string
  dtype?: string
  kind?: string
  missing?: number
  unique?: number
  role?: string | null
}

export interface DataSource {
  id: string
  workspace_id: string
  kind: DataSourceKind
  name: string
  description?: string | null
  row_count?: number | null
  column_count?: number | null
  schema?: ColumnSchema[] | null
  sha256?: string | null
  size_bytes?: number | null
  created_at?: string
}

export interface DataPreview {
  columns: string[]
  rows: Array<Record<string, unknown>>
}

export type SetupParamValue = string | number | boolean | null

export interface Experiment {
  id: string
  project_id: string
  name: string
  task: TaskId
  target: string
  data_source_id?: string | null
  sklearn_dataset?: string | null
  setup_params: Record<string, SetupParamValue>
  created_at?: string
}

export interface ExperimentCreate {
  name: string
  task: TaskId
  target: string
  data_source_id?: string | null
  sklearn_dataset?: string | null
  setup_params: Record<string, SetupParamValue>
}

export interface LeaderboardTable {
  columns: string[]
  rows: Array<Record<string, unknown>>
}

export interface Run {
  id: string
  experiment_id: string
  plan: RunPlan
  status: RunStatus
  model_id?: string | null
  data_source_id?: string | null
  sklearn_dataset?: string | null
  snapshot?: Record<string, unknown> | null
  leaderboard?: LeaderboardTable | null
  error?: string | null
  created_at?: string
  started_at?: string | null
  finished_at?: string | null
}

export interface RunCreate {
  plan: RunPlan
  model_id?: string | null
  plan_params?: Record<string, unknown> | null
  data_source_id?: string | null
  sklearn_dataset?: string | null
}

/** One engine/server event, as `Event.to_dict()` sends it over REST and the WebSocket. */
export interface WsEvent {
  id: number
  run_id: string
  ts: string
  kind: string
  duration_ms: number | null
  payload: Record<string, unknown>
}

export interface Pipeline {
  id: string
  workspace_id: string
  run_id?: string | null
  name: string
  version?: number
  model_id?: string | null
  status?: string
  metrics?: Record<string, unknown> | null
  sha256?: string | null
  size_bytes?: number | null
  input_schema?: ColumnSchema[] | null
  manifest?: Record<string, unknown> | null
  created_at?: string
}

export interface Deployment {
  id: string
  pipeline_id: string
  slug: string
  auth_mode: AuthMode
  status?: string
  request_count?: number
  error_count?: number
  p50_ms?: number | null
  p95_ms?: number | null
  created_at?: string
}

export interface PredictResult {
  predictions: Array<Record<string, unknown>>
  latency_ms?: number
}

export interface TaskInfo {
  id: TaskId
  name: string
  description: string
}

export interface ModelInfo {
  id: string
  name: string
  family: string
  is_available: boolean
  reason?: string | null
  turbo: boolean
}

export interface MetricInfo {
  id: string
  name: string
  greater_is_better: boolean
  default_sort: boolean
}

export interface SetupParam {
  name: string
  kind: 'bool' | 'int' | 'float' | 'enum' | 'column' | 'string'
  group: string
  default: SetupParamValue
  choices?: Array<string | number> | null
  min?: number | null
  max?: number | null
  description: string
}

export interface SampleInfo {
  id: string
  name: string
  task: TaskId
  target: string
  rows: number
  columns: number
}
