/**
 * Options of a `compare` run (the engine's `compare()` arguments, see docs/contracts.md): which
 * models, the sort metric (from `describe.metrics(task)`; the engine's metric id is sent, its name
 * shown), and a time budget. Unset = engine default.
 */
import type { MetricInfo, ModelInfo } from '@/api/types'
import { Field, Input, Select } from '@/components/ui/form'

export interface CompareChoice {
  models: string[]
  sort: string
  budget: string
}

export const EMPTY_COMPARE: CompareChoice = { models: [], sort: '', budget: '' }

/** Only what the user set, as `plan_params`. */
export function compareParams(c: CompareChoice): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (c.models.length) out.models = c.models
  if (c.sort) out.sort = c.sort
  const budget = Number(c.budget)
  if (c.budget.trim() && Number.isFinite(budget) && budget > 0) out.budget_s = budget
  return out
}

/** "Area under the ROC curve (AUC)": the name, then the id the leaderboard column shows. */
export function metricLabel(m: MetricInfo): string {
  return m.name === m.id ? m.name : `${m.name} (${m.id})`
}

interface Props {
  value: CompareChoice
  onChange: (next: CompareChoice) => void
  models: ModelInfo[]
  metrics: MetricInfo[]
}

export function CompareOptions({ value, onChange, models, metrics }: Props) {
  const available = models.filter((m) => m.is_available)
  const fallback = metrics.find((m) => m.default_sort)
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">Compare options</legend>
      <Field label="Models" hint={value.models.length ? `${value.models.length} selected` : 'All available models (Ctrl/⌘-click to pick some).'}>
        {(p) => (
          <Select {...p} multiple size={6} value={value.models}
            onChange={(e) => onChange({ ...value, models: [...e.target.selectedOptions].map((o) => o.value) })}>
            {available.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
          </Select>
        )}
      </Field>
      <Field label="Sort by">
        {(p) => (
          <Select {...p} value={value.sort} onChange={(e) => onChange({ ...value, sort: e.target.value })}>
            <option value="">{fallback ? `${metricLabel(fallback)} (default)` : 'Default'}</option>
            {metrics.filter((m) => m !== fallback).map((m) => <option key={m.id} value={m.id}>{metricLabel(m)}</option>)}
          </Select>
        )}
      </Field>
      <Field label="Time budget (seconds)" hint="Optional. When it runs out, the finished models are kept.">
        {(p) => <Input {...p} type="number" min={1} step={1} inputMode="numeric" placeholder="none" value={value.budget}
          onChange={(e) => onChange({ ...value, budget: e.target.value })} />}
      </Field>
    </fieldset>
  )
}
