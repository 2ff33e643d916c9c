/**
 * Trials of a tune or auto run: the `trial.finished` event payload (docs/contracts.md, Improve:
 * {model_id, trial, params, score, state: complete|pruned|failed, best_score, progress?}) as a
 * table row, and the best-so-far curve as a PlotRead for the shared Chart.
 */
import type { PlotRead, WsEvent } from '@/api/types'

export interface TrialRow {
  eventId: number
  modelId: string
  trial: number
  params: Record<string, unknown>
  score: number | null
  state: string
  bestScore: number | null
  error: string | null
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null)

/** The trial a `trial.finished` event reports, or null for any other event. */
export function trialOf(event: WsEvent): TrialRow | null {
  if (event.kind !== 'trial.finished') return null
  const p = event.payload ?? {}
  const params = p.params && typeof p.params === 'object' && !Array.isArray(p.params) ? (p.params as Record<string, unknown>) : {}
  return {
    eventId: event.id,
    modelId: typeof p.model_id === 'string' ? p.model_id : '',
    trial: num(p.trial) ?? 0,
    params,
    score: num(p.score),
    state: typeof p.state === 'string' ? p.state : 'complete',
    bestScore: num(p.best_score),
    error: typeof p.error === 'string' ? p.error : null,
  }
}

/** Trials a stored run result lists (`result.trials`), for a run whose events are gone. */
export function trialsOfResult(result: Record<string, unknown> | null | undefined): TrialRow[] {
  const list = Array.isArray(result?.trials) ? (result.trials as Array<Record<string, unknown>>) : []
  let best: number | null = null
  return list.map((t, i) => {
    const score = num(t.score)
    if (score !== null && t.state === 'complete' && (best === null || score > best)) best = score
    return {
      eventId: i,
      modelId: typeof t.model_id === 'string' ? t.model_id : '',
      trial: num(t.trial) ?? i,
      params: (t.params as Record<string, unknown>) ?? {},
      score,
      state: typeof t.state === 'string' ? t.state : 'complete',
      bestScore: best,
      error: typeof t.error === 'string' ? t.error : null,
    }
  })
}

/**
 * The best-so-far curve: every complete trial's score as a dot, and the best so far as a step
 * line, against the order the trials ended in (1, 2, …). The engine's `best_score` is used as
 * it sends it, so a metric where lower is better (MAE …) needs no sign here.
 */
export function bestSoFarPlot(trials: TrialRow[], metric: string | null): PlotRead {
  const order = trials.map((_, i) => i + 1)
  const done = trials.map((t, i) => ({ x: i + 1, t })).filter(({ t }) => t.state === 'complete' && t.score !== null)
  const best = trials.map((t, i) => ({ x: order[i], y: t.bestScore })).filter((p) => p.y !== null)
  return {
    id: 'best_so_far',
    title: 'Best score so far',
    kind: 'xy',
    x: { label: 'Trial (in the order they ended)', scale: 'linear' },
    y: { label: metric ? `CV ${metric}` : 'CV score', scale: 'linear' },
    series: [
      { name: 'trial', mark: 'dot', x: done.map((d) => d.x), y: done.map((d) => d.t.score) },
      { name: 'best so far', mark: 'step', x: best.map((p) => p.x), y: best.map((p) => p.y) },
    ],
    notes: [`${trials.length} trials; ${trials.filter((t) => t.state === 'pruned').length} pruned after their first folds.`],
  }
}
