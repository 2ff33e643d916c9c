/**
 * How far a run is ("3 of 15 models · about 12s left", from the engine's `progress` event field)
 * and what the engine warned about (models left out of the default, limits hit, budget spent).
 */
import type { WsEvent } from '@/api/types'
import { formatDuration } from '@/lib/format'

export interface RunProgressInfo {
  models_done: number
  models_total: number
  eta_s: number
  elapsed_s?: number
  /** What is counted: "models" (compare) or "trials" (tune); the engine says which. */
  unit?: string
}

export interface RunWarning {
  id: number
  code: string
  message: string
}

/** The `progress` field of an event's payload, when it has a valid one. */
export function progressOf(event: WsEvent): RunProgressInfo | null {
  const p = (event.payload as { progress?: unknown } | null)?.progress as Partial<RunProgressInfo> | undefined
  if (!p || typeof p.models_done !== 'number' || typeof p.models_total !== 'number') return null
  const unit = typeof p.unit === 'string' && p.unit ? p.unit : undefined
  return { models_done: p.models_done, models_total: p.models_total, eta_s: typeof p.eta_s === 'number' ? p.eta_s : 0, elapsed_s: p.elapsed_s, unit }
}

/** A `warning` event as a notice, else null. */
export function warningOf(event: WsEvent): RunWarning | null {
  if (event.kind !== 'warning') return null
  const { code, message } = (event.payload ?? {}) as { code?: unknown; message?: unknown }
  return typeof message === 'string' ? { id: event.id, code: typeof code === 'string' ? code : 'warning', message } : null
}

/** "3 of 15 models · about 12.0s left" while pending; "15 of 15 models" once ended. */
export function progressText(p: RunProgressInfo, pending: boolean): string {
  const plural = p.unit ?? 'models'
  const noun = p.models_total === 1 ? plural.replace(/s$/, '') : plural
  const models = `${p.models_done} of ${p.models_total} ${noun}`
  if (!pending || p.models_done >= p.models_total) return models
  return `${models} · about ${formatDuration(Math.max(0, p.eta_s) * 1000)} left`
}

export function RunProgress({ progress, pending }: { progress: RunProgressInfo | null; pending: boolean }) {
  if (!progress) return pending ? <span className="text-xs text-teal-700">● live</span> : null
  return (
    <span className="text-xs text-teal-700" data-testid="run-progress">
      {pending && '● '}
      {progressText(progress, pending)}
    </span>
  )
}

export function RunWarnings({ warnings }: { warnings: RunWarning[] }) {
  if (!warnings.length) return null
  return (
    <ul aria-label="Run warnings" className="mb-5 space-y-1.5">
      {warnings.map((w) => (
        <li key={w.id} className="rounded-md border border-amber-200 bg-amber-50 px-3 py-1.5 text-sm text-amber-900">
          <span className="mr-2 font-mono text-xs uppercase">{w.code.replace(/_/g, ' ')}</span>
          {w.message}
        </li>
      ))}
    </ul>
  )
}
