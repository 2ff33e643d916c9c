/**
 * Why a leaderboard row has no Holdout score. The engine's `Holdout` column is the sort metric of
 * the model fitted on the training part, on the holdout rows; which rows get one is the plan's
 * choice (podium/engine): compare and the improving plans fit every model that ran all its folds,
 * auto only the model it returns and that ensemble's members (search/auto.py `_holdout`) — the
 * holdout chooses nothing, and fitting every model again would spend the budget on numbers no
 * decision reads.
 */
import type { Run } from '@/api/types'
import { partialFolds, type WhyEmpty } from '@/components/Leaderboard'

/** The engine's holdout column (podium/engine/run/leaderboard.py `HOLDOUT_COLUMN`). */
export const HOLDOUT_COLUMN = 'Holdout'

export const AUTO_HOLDOUT =
  'Auto scores the holdout only for the model it returns and, for an ensemble, its members: the holdout chooses nothing, and fitting every model again on the training part would spend the budget.'

/** The "—" of a row's Holdout cell, explained for this run's plan. */
export function holdoutWhy(run: Pick<Run, 'plan' | 'best'>): WhyEmpty {
  return (column, row) => {
    if (column !== HOLDOUT_COLUMN || row.Error) return undefined
    if (partialFolds(row) !== null) return 'Stopped before its last fold, so it was never fitted on the training part for the holdout.'
    if (run.plan === 'auto' && row.model_id !== run.best?.model_id) return AUTO_HOLDOUT
    return 'Its fit on the training part did not finish: the run was stopped or ran out of time.'
  }
}

/** True when an auto run's table leaves some complete rows without a holdout score. */
export function autoLeavesHoldoutOut(run: Pick<Run, 'plan'>, rows: Record<string, unknown>[], columns: string[]): boolean {
  if (run.plan !== 'auto' || !columns.includes(HOLDOUT_COLUMN)) return false
  return rows.some((r) => (r[HOLDOUT_COLUMN] === null || r[HOLDOUT_COLUMN] === undefined) && !r.Error && partialFolds(r) === null)
}
