/**
 * Domain types used by the screens: aliases of the schema generated from the server's OpenAPI
 * (`npm run gen:api`), so no server shape is typed twice by hand. The few marked "provisional"
 * cover routes the server does not publish yet; replace them with aliases once it does.
 */
import type { components, operations } from '@/api/schema.gen'

type S = components['schemas']

export type TokenPair = S['TokenPair']
export type SetupStatus = S['SetupStatus']
export type User = S['UserRead']
export type Workspace = S['WorkspaceRead']
export type Member = S['MemberRead']
export type Project = S['ProjectRead']
export type ProjectUpdate = S['ProjectUpdate']
export type Experiment = S['ExperimentRead']
export type ExperimentUpdate = S['ExperimentUpdate']
export type ExperimentCreate = S['ExperimentCreate']
export type DataSource = S['DataSourceRead']
export type DataPreview = S['DataSourcePreview']
export type ColumnSchema = S['ColumnInfo']
/** A data source's profile (200) or its job's state while a worker computes it (202). */
export type Profile = S['ProfileRead']
export type ProfileStatus = S['ProfileStatus']
export type ColumnProfile = S['ColumnProfile']
export type Finding = S['Finding']
/** The task the engine would infer were a column the target, and why (`ColumnInfo.task`). */
export type TaskGuess = S['TaskSuggestion']
export type LeaderboardTable = S['Leaderboard']
export type Run = S['RunRead']
export type RunCreate = S['RunCreate']
export type RunPlan = RunCreate['plan']
export type RunStatus = Run['status']
/** One engine/server event, as the server's `EventRead` sends it over REST and the WebSocket. */
export type WsEvent = S['EventRead']
export type TaskInfo = S['TaskInfo']
export type TaskId = ExperimentCreate['task']
export type ModelInfo = S['ModelInfo']
export type MetricInfo = S['MetricInfo']
export type SetupParam = S['SetupParamInfo']
export type SampleInfo = S['SampleInfo']
export type PlanInfo = S['PlanInfo']
/** One keyword of a plan (`GET /describe/plans`); `required` and `choices` as the engine declares. */
export type PlanParam = S['PlanParamInfo'] & { required?: boolean; choices?: unknown[] | null }
export type SetupParamValue = string | number | boolean | null | string[]
export type Role = 'owner' | 'editor' | 'viewer'

export interface ListResponse<T> {
  data: T[]
  count: number
}

export type ApiKey = S['ApiKeyRead']
export type ApiKeyCreated = S['ApiKeyCreated']
export type Pipeline = S['PipelineRead']
export type Deployment = S['DeploymentRead']
export type DeploymentVersions = S['DeploymentVersions']
export type DriftReport = S['DriftReportRead']
export type AuthMode = NonNullable<S['DeploymentCreate']['auth_mode']>
export type DeploymentStatus = NonNullable<S['DeploymentUpdate']['status']>
/** What the prediction log view and its CSV export filter on: time range, outcome, and the page offset. */
export type PredictionLogFilter = Omit<NonNullable<operations['prediction-logs-list']['parameters']['query']>, 'limit'>
export type PredictionLogEntry = S['PredictionLogRead']
export type PredictResult = S['PredictResponse']
/** A forecasting deployment's answer: per series and step, the value and its interval bounds. */
export type ForecastResult = S['ForecastResponse']
export type ForecastPoint = S['ForecastPoint']
export type Explanation = S['Explanation']
export type PredictionLog = S['PredictionLogRead']

/**
 * How this app calls a deployment's predict routes, per its auth mode: with the member's token
 * (`workspace`), with an API key the user typed (`api-key`, sent as `X-API-Key`), or with no
 * credentials at all (`public`), exactly as an outside caller would.
 */
export type CallerAuth = { mode: 'workspace' } | { mode: 'api-key'; key: string } | { mode: 'public' }

/** The caller for a deployment's auth mode, or null while an api-key deployment has no key typed. */
export function callerAuth(authMode: string, apiKey: string): CallerAuth | null {
  if (authMode === 'public') return { mode: 'public' }
  if (authMode === 'api-key') return apiKey.trim() ? { mode: 'api-key', key: apiKey.trim() } : null
  return { mode: 'workspace' }
}

/** A pipeline's input column (the schema declares the list loosely; this is what it holds). */
export interface InputColumn {
  name: string
  kind?: string
  dtype?: string
  /** what training held: numbers | text | booleans | mixed */
  holds?: string
  /** the two training spellings of true and false, where the column had them */
  boolean_values?: { true: unknown; false: unknown }
}

/** Narrow a loosely typed input schema to its named columns. */
export function inputColumns(schema: unknown[] | null | undefined): InputColumn[] {
  return (schema ?? []).filter(
    (c): c is InputColumn => !!c && typeof c === 'object' && typeof (c as InputColumn).name === 'string',
  )
}

/** One plot as data (`PlotRead`): `xy` draws `series`, `heatmap` draws `heatmap`; `notes` say what it was computed from. */
export type PlotRead = S['PlotRead']
export type PlotAxis = S['Axis']
export type PlotSeries = S['Series']
export type PlotMark = PlotSeries['mark']
export type PlotHeatmap = S['Heatmap']

/** One model of a run (`GET /runs/{run_id}/models/{model_id}`): what the model page shows. */
export type ModelRead = S['ModelRead']
export type ModelPlotInfo = S['ModelPlotInfo']
export type PlotSource = ModelPlotInfo['source']

/** Where a model's analysis (explanations) job stands, and the ids of the plots it stored. */
export type AnalysisRead = S['AnalysisRead']
export type AnalysisStatus = AnalysisRead['status']
export type AuditEvent = S['AuditEventRead']
export type AuditEventList = S['AuditEventList']
export type Invitation = S['InvitationRead']
export type InvitationCreated = S['InvitationCreated']
export type InvitationPreview = S['InvitationPreview']
export type InvitationAccepted = S['InvitationAccepted']
export type Webhook = S['WebhookRead']
export type WebhookCreated = S['WebhookCreated']
export type WebhookEvent = S['WebhookCreate']['events'][number]
export type WebhookCreateBody = S['WebhookCreate']
export type WebhookUpdateBody = S['WebhookUpdate']
/** The least drift severity a webhook is told of (`drift.detected`). */
export type DriftLevel = Webhook['drift_min_severity']
export type Delivery = S['DeliveryRead']
