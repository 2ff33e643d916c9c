/** Typed sample payloads for page tests (shapes come from the generated schema). */
import type {
  DataSource,
  Deployment,
  DeploymentVersions,
  Experiment,
  ModelInfo,
  ModelRead,
  Pipeline,
  PlanInfo,
  PlotRead,
  Project,
  Run,
  SampleInfo,
  SetupParam,
  TaskInfo,
  Workspace,
} from '@/api/types'

export const T0 = '2026-11-28T10:00:00Z'

export function makeRun(over: Partial<Run> = {}): Run {
  const status = over.status ?? 'running'
  return {
    // the server's rule (schemas/runs.promotable) for the runs these tests make; a cancelled
    // improving run that kept a model says so explicitly
    promotable: status === 'succeeded' && (over.plan ?? 'compare') !== 'setup',
    id: 'run-1234567890',
    workspace_id: 'ws1',
    experiment_id: 'exp1',
    plan: 'compare',
    model_id: null,
    plan_params: {},
    data_source_id: null,
    sklearn_dataset: 'iris',
    status: 'running',
    snapshot: { plan: 'compare', seed: 42, data_sha256: 'abc123' },
    leaderboard: null,
    result: null,
    error: null,
    cancel_requested: false,
    created_at: T0,
    started_at: T0,
    finished_at: null,
    best: null,
    ...over,
  }
}

/** What the server says each role may do (`services/access.py`), as it sends it in `can`. */
export const ABILITIES: Record<string, Workspace['can']> = {
  owner: { read: true, change: true, administer: true },
  editor: { read: true, change: true, administer: false },
  viewer: { read: true, change: false, administer: false },
}

/** The signed-in user's workspace; `can` decides which controls the pages show. */
export const workspace: Workspace = { id: 'ws1', name: 'Acme', role: 'owner', can: ABILITIES.owner!, created_at: T0 }

export const project: Project = { id: 'p1', workspace_id: 'ws1', name: 'Churn', description: 'Who leaves', created_at: T0 }

export const experiment: Experiment = {
  id: 'exp1',
  workspace_id: 'ws1',
  project_id: 'p1',
  name: 'Iris first try',
  description: '',
  task: 'multiclass',
  target: 'species',
  data_source_id: null,
  sklearn_dataset: 'iris',
  setup_params: { folds: 3 },
  created_at: T0,
}

export const upload: DataSource = {
  id: 'ds1',
  workspace_id: 'ws1',
  name: 'customers',
  description: 'CRM export',
  kind: 'csv',
  filename: 'customers.csv',
  size_bytes: 2048,
  sha256: 'f'.repeat(64),
  n_rows: 1200,
  n_columns: 5,
  columns: [
    { name: 'age', dtype: 'int64', kind: 'numeric', missing: 0, unique: 60,
      task: { task: 'regression', reason: '“age” is numeric with 60 distinct values' } },
    { name: 'plan', dtype: 'object', kind: 'categorical', missing: 2, unique: 3,
      task: { task: 'multiclass', reason: '“plan” has 3 distinct values' } },
    { name: 'churned', dtype: 'bool', kind: 'boolean', missing: 0, unique: 2,
      task: { task: 'binary', reason: '“churned” is true/false' } },
    { name: 'fee', dtype: 'float64', kind: 'numeric', missing: 0, unique: 3,
      task: { task: 'regression', reason: '“fee” holds numbers with fractions' } },
    { name: 'city', dtype: 'object', kind: 'categorical', missing: 0, unique: 400, task: null },
  ],
  created_at: T0,
}

export const samples: SampleInfo[] = [
  { id: 'iris', name: 'Iris', task: 'multiclass', target: 'target', rows: 150, columns: 5 },
  { id: 'diabetes', name: 'Diabetes', task: 'regression', target: 'target', rows: 442, columns: 11 },
]

export const models: ModelInfo[] = [
  { id: 'lr', name: 'Logistic Regression', family: 'linear', is_available: true, reason: null, turbo: true },
  { id: 'catboost', name: 'CatBoost', family: 'boosting', is_available: false, reason: 'pip install catboost', turbo: false },
]

export const tasks: TaskInfo[] = [
  { id: 'binary', name: 'Binary classification', description: 'Two classes', target: 'required', inferable: true, model_kind: 'classification', output: 'label' },
  { id: 'multiclass', name: 'Multiclass classification', description: 'Three or more classes', target: 'required', inferable: true, model_kind: 'classification', output: 'label' },
  { id: 'regression', name: 'Regression', description: 'A number', target: 'required', inferable: true, model_kind: 'regression', output: 'value' },
]

/** Deliberately unusual names: the form must not know any parameter. */
export const setupParams: SetupParam[] = [
  { name: 'zeta_folds', kind: 'int', group: 'Validation', default: 5, min: 2, max: 20, description: 'CV folds' },
  { name: 'omega_ratio', kind: 'float', group: 'Validation', default: 0.7, min: 0.1, max: 0.95, description: 'Train share' },
  { name: 'kappa_scale', kind: 'bool', group: 'Preprocessing', default: true, description: 'Scale numbers' },
  { name: 'impute_how', kind: 'enum', group: 'Preprocessing', default: 'mean', choices: ['mean', 'median'], description: 'Imputation' },
  { name: 'ignore_col', kind: 'column', group: 'Data', default: null, description: 'Column to drop' },
  { name: 'skip_cols', kind: 'column', group: 'Data', default: [], description: 'Columns left out' },
  { name: 'target', kind: 'column', group: 'Data', default: null, description: 'Set by the wizard itself' },
]

export const pipeline: Pipeline = {
  id: 'pipe1',
  workspace_id: 'ws1',
  name: 'Iris Best',
  version: 2,
  description: '',
  run_id: 'run-1',
  model_id: 'lda',
  status: 'ready',
  error: null,
  task: 'multiclass',
  metrics: { cv: { Accuracy: 0.9667, F1: 0.9666 } },
  input_schema: [{ name: 'sepal_length', dtype: 'float64', kind: 'numeric' }],
  sha256: 'a'.repeat(64),
  size_bytes: 4096,
  library_versions: { 'scikit-learn': '1.9.1' },
  onnx: null,
  created_at: '2026-11-28T10:00:00Z',
  finished_at: '2026-11-28T10:00:10Z',
}
export const deployment: Deployment = {
  id: 'dep1',
  workspace_id: 'ws1',
  pipeline_id: 'pipe1',
  pipeline_name: 'Iris Best',
  pipeline_version: 2,
  slug: 'iris-best',
  auth_mode: 'workspace',
  status: 'active',
  log_sample_rate: 0.1,
  log_keep: 'full',
  log_retention_days: 30,
  log_max_rows: 10000,
  drift_every_hours: null,
  drift_window_hours: 24,
  drift_next_at: null,
  request_count: 12,
  error_count: 1,
  latency_p50_ms: 2.4,
  latency_p95_ms: 6.1,
  last_request_at: null,
  created_at: '',
}

/** The pipeline's source model (run-1 / lda), as `GET /runs/:run/models/:model` answers. */
export const model: ModelRead = {
  run_id: 'run-1',
  model_id: 'lda',
  name: 'Linear Discriminant Analysis',
  task: 'multiclass',
  params: { solver: 'svd', shrinkage: null, tol: 0.0001, priors: null },
  preprocessing: [
    { name: 'impute', columns: ['sepal_length', 'sepal_width'], details: { strategy: 'mean' } },
    { name: 'scale', columns: ['sepal_length', 'sepal_width'], details: { method: 'zscore' } },
  ],
  folds: {
    columns: ['Fold', 'Accuracy', 'F1'],
    rows: [
      { Fold: 0, Accuracy: 0.95, F1: 0.949 },
      { Fold: 1, Accuracy: 0.9833, F1: 0.9833 },
    ],
  },
  cv: { Accuracy: 0.9667, F1: 0.9666 },
  holdout: { Accuracy: 0.9556, F1: 0.955 },
  plots: [
    { id: 'confusion_matrix', title: 'Confusion matrix', source: 'predictions', available: true },
    { id: 'roc', title: 'ROC', source: 'predictions', available: true },
    { id: 'permutation_importance', title: 'Permutation importance', source: 'analysis', available: false },
    { id: 'shap_summary', title: 'SHAP summary', source: 'analysis', available: false },
  ],
  analysis: null,
}

export const confusionPlot: PlotRead = {
  id: 'confusion_matrix',
  title: 'Confusion matrix',
  kind: 'heatmap',
  x: { label: 'Predicted' },
  y: { label: 'Actual' },
  series: [],
  heatmap: { rows: ['setosa', 'versicolor'], cols: ['setosa', 'versicolor'], values: [[50, 0], [2, 48]] },
  notes: ['out-of-fold predictions, 2 folds'],
}

export const rocPlot: PlotRead = {
  id: 'roc',
  title: 'ROC',
  kind: 'xy',
  x: { label: 'False positive rate', domain: [0, 1] },
  y: { label: 'True positive rate', domain: [0, 1] },
  series: [
    { name: 'setosa', mark: 'line', x: [0, 0.1, 1], y: [0, 0.9, 1] },
    { name: 'chance', mark: 'rule', x: [0, 1], y: [0, 1], dashed: true },
  ],
  notes: [],
}

export const importancePlot: PlotRead = {
  id: 'permutation_importance',
  title: 'Permutation importance',
  kind: 'xy',
  x: { label: 'mean decrease in Accuracy' },
  y: { label: 'feature', scale: 'band' },
  series: [{ name: 'importance', mark: 'barh', x: [0.3, 0.01], y: ['petal_length', 'sepal_width'] }],
  notes: [],
}

const SORT = { name: 'sort', kind: 'metric', default: null, description: 'Metric id to rank by; the task’s default.' }
const SOURCE = { name: 'source_run_id', kind: 'run', default: null, description: 'The finished run whose model(s) to improve.', required: true }
const ONE = { name: 'model_id', kind: 'source_model', default: null, description: 'A model id on the source run’s leaderboard.', required: true }
const SEVERAL = { name: 'model_ids', kind: 'source_models', default: null, description: 'Two or more model ids on the source run’s leaderboard.', required: true }

/** `GET /describe/plans` as the engine declares it (podium/engine/run/plans.py). */
export const plans: PlanInfo[] = [
  { id: 'setup', description: 'Check the data: schema, guardrails, folds; no model is trained.', takes_model: false, params: [] },
  { id: 'create', description: 'Cross-validate one model (model_id); plan_params are its hyperparameters.', takes_model: true, params: [] },
  {
    id: 'compare', description: 'Cross-validate the zoo of models in parallel and rank them.', takes_model: false,
    params: [
      { name: 'models', kind: 'models', default: null, description: 'Model ids to compare; the default list for this table when left out.' },
      SORT,
      { name: 'n_select', kind: 'int', default: 1, description: 'How many of the best models the result names.' },
      { name: 'budget_s', kind: 'float', default: null, description: 'Wall-time budget of the comparison (s).' },
    ],
  },
  {
    id: 'tune', description: 'Tune a model’s hyperparameters (Optuna, cross-validated).', takes_model: false,
    params: [SOURCE, ONE, { name: 'n_trials', kind: 'int', default: null, description: 'Trials to sample (30 without a budget).' },
      { name: 'budget_s', kind: 'float', default: null, description: 'Wall-time budget of the search (s).' },
      { name: 'search_space', kind: 'space', default: null, description: 'Parameter → {low, high, log} or [choices].' }, SORT],
  },
  {
    id: 'ensemble', description: 'Bag or boost a model, cross-validated.', takes_model: false,
    params: [SOURCE, ONE, { name: 'method', kind: 'choice', default: 'bagging', description: 'bagging or boosting.', choices: ['bagging', 'boosting'] },
      { name: 'n_estimators', kind: 'int', default: 10, description: 'Copies of the model in the ensemble.' }, SORT],
  },
  {
    id: 'blend', description: 'Blend models by voting, cross-validated.', takes_model: false,
    params: [SOURCE, SEVERAL, { name: 'method', kind: 'choice', default: 'soft', description: 'soft or hard.', choices: ['soft', 'hard'] },
      { name: 'weights', kind: 'weights', default: null, description: 'One weight per model; equal when left out.' }, SORT],
  },
  {
    id: 'stack', description: 'Stack models: a meta model learns from their out-of-fold predictions.', takes_model: false,
    params: [SOURCE, SEVERAL, { name: 'meta_model', kind: 'model', default: null, description: 'Meta model id.' },
      { name: 'passthrough', kind: 'bool', default: false, description: 'Give the meta model the features too.' }, SORT],
  },
  {
    id: 'auto', description: 'Best model within a time budget: race the zoo, tune the leaders, ensemble them.', takes_model: false,
    params: [{ name: 'budget_s', kind: 'float', default: 300, description: 'Wall-time budget of the whole search (s).' }, SORT],
  },
]

export const deploymentVersions: DeploymentVersions = {
  pipeline_name: 'Iris Best',
  current_pipeline_id: 'pipe1',
  current_version: 2,
  rollback_to: null,
  history: [
    { id: 'h1', action: 'deploy', pipeline_id: 'pipe1', pipeline_version: 2, from_pipeline_id: null, from_version: null, actor_id: null, created_at: T0 },
  ],
  available: [
    { id: 'pipe3', version: 3, status: 'ready', labels: ['staging'], metrics: {}, created_at: T0 },
    { id: 'pipe1', version: 2, status: 'ready', labels: [], metrics: {}, created_at: T0 },
  ],
}

/** The panels every deployment page asks for (versions, drift reports), empty-ish. */
export const deploymentPanelRoutes = {
  'GET /api/v1/deployments/:id/versions': deploymentVersions,
  'GET /api/v1/deployments/:slug/drift-reports': { data: [], count: 0, over_time: null },
}
