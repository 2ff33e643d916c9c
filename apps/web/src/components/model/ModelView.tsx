/**
 * Everything about one model of a run (`GET /runs/:run/models/:model`): scores, every fitted
 * hyperparameter, the preprocessing, the per-fold table, the evaluation plots and explanations.
 * The model page shows it; so does a pipeline's page, for the run and model it was promoted from.
 */
import type { ModelRead } from '@/api/types'
import { Leaderboard } from '@/components/Leaderboard'
import { ModelScores, PreprocessingSteps } from '@/components/model/ModelParts'
import { EvaluationPlots, Explanations } from '@/components/model/ModelPlots'
import { Card } from '@/components/ui/Card'
import { KeyValues } from '@/components/ui/KeyValues'

/** `workspaceId` (the run's) decides, from the caller's role there, whether explanations are offered. */
export function ModelView({ model, workspaceId }: { model: ModelRead; workspaceId: string | undefined }) {
  const ids = { runId: model.run_id, modelId: model.model_id }
  const params = Object.keys(model.params ?? {}).length
  return (
    <div className="space-y-6">
      {model.error && (
        <pre role="alert" className="overflow-x-auto rounded-md border border-red-200 bg-red-50 p-3 font-mono text-xs whitespace-pre-wrap text-red-800">
          {model.error}
        </pre>
      )}
      <div className="grid gap-6 xl:grid-cols-2">
        <Card title="Scores" id="model-scores">
          <ModelScores cv={model.cv} holdout={model.holdout} />
          {!model.holdout && (
            <p className="mt-2 text-xs text-slate-500">No holdout scores{model.no_holdout ? `: ${model.no_holdout}.` : '.'}</p>
          )}
        </Card>
        <Card title="Per-fold scores" id="model-folds">
          {model.folds?.rows?.length ? (
            <Leaderboard table={model.folds} caption="Per-fold scores" />
          ) : (
            <p className="text-sm text-slate-500">No per-fold scores recorded.</p>
          )}
        </Card>
      </div>
      <div className="grid gap-6 xl:grid-cols-2">
        <Card title={`Hyperparameters (${params})`} id="model-params">
          <KeyValues label="Hyperparameters" data={model.params ?? {}} />
        </Card>
        <Card title="Preprocessing" id="model-preprocessing">
          <PreprocessingSteps steps={model.preprocessing ?? []} />
        </Card>
      </div>
      <Card title="Evaluation plots" id="model-plots">
        <EvaluationPlots {...ids} plots={model.plots ?? []} missing={model.no_predictions} />
      </Card>
      <Card title="Explanations" id="model-explanations">
        <Explanations {...ids} plots={model.plots ?? []} requested={model.analysis} workspaceId={workspaceId} />
      </Card>
    </div>
  )
}
