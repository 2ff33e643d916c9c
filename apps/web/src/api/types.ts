/**
 * Domain types used by the screens: aliases of the schema generated from the server's OpenAPI
 * (`npm run gen:api`), so no server shape is typed twice by hand. The few marked "provisional"
 * cover routes the server does not publish yet; replace them with aliases once it does.
 */
import type { components } from '@/api/schema.gen'

type S = components['schemas']

export type TokenPair = S['TokenPair']
export type SetupStatus = S['SetupStatus']
export type User = S['UserRead']
export type Workspace = S['WorkspaceRead']
export type Member = S['MemberRead']
export type Project = S['ProjectRead']
export type Experiment = S['ExperimentRead']
export type ExperimentCreate = S['ExperimentCreate']
export type DataSource = S['DataSourceRead']
export type DataPreview = S['DataSourcePreview']
export type ColumnSchema = S['ColumnInfo']
export type LeaderboardTable = S['Leaderboard']
export type Run = S['RunRead']
export type RunCreate = S['RunCreate']
export type RunPlan = RunCreate['plan']
export type RunStatus = Run['status']
/** One engine/server event, as `Event.to_dict()` sends it over REST and the WebSocket. */
export type WsEvent = S['EventRead']
export type TaskInfo = S['TaskInfo']
export type TaskId = ExperimentCreate['task']
export type ModelInfo = S['ModelInfo']
export type MetricInfo = S['MetricInfo']
export type SetupParam = S['SetupParamInfo']
export type SampleInfo = S['SampleInfo']
export type SetupParamValue = string | number | boolean | null | string[]
export type Role = 'owner' | 'editor' | 'viewer'

export interface ListResponse<T> {
  data: T[]
  count: number
}

// --- provisional: not in the server's OpenAPI yet ------------------------------------------
export type AuthMode = 'workspace' | 'api-key' | 'public'

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
