/**
 * The controls of a plan's parameters, rendered from `GET /describe/plans` (see planParams.ts):
 * no parameter name is known here. Metrics and models come from `describe` for the task; the
 * engine's metric / model id is sent, its name shown. Empty = the engine's default.
 */
import type { MetricInfo, ModelInfo, PlanParam } from '@/api/types'
import { paramLabel, type PlanFormValue, type PlanFormValues } from '@/components/experiment/planParams'
import { Field, Input, Select, Textarea } from '@/components/ui/form'

interface Props {
  params: PlanParam[]
  values: PlanFormValues
  onChange: (next: PlanFormValues) => void
  models: ModelInfo[]
  metrics: MetricInfo[]
  problems?: Record<string, string>
  /** Legend of the group (e.g. "Compare options"). */
  title?: string
}

/** "Area under the ROC curve (AUC)": the name, then the id the leaderboard column shows. */
export function metricLabel(m: MetricInfo): string {
  return m.name === m.id ? m.name : `${m.name} (${m.id})`
}

type Ids = { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }

function Control({ param, value, set, models, metrics, ids }: {
  param: PlanParam
  value: PlanFormValue | undefined
  set: (v: PlanFormValue) => void
  models: ModelInfo[]
  metrics: MetricInfo[]
  ids: Ids
}) {
  const text = typeof value === 'string' ? value : ''
  const available = models.filter((m) => m.is_available)
  switch (param.kind) {
    case 'int':
    case 'float':
      return <Input {...ids} type="number" min={0} step={param.kind === 'int' ? 1 : 'any'} inputMode="numeric"
        placeholder="engine default" value={text} onChange={(e) => set(e.target.value)} />
    case 'bool':
      return <input {...ids} type="checkbox" className="h-4 w-4 accent-teal-700" checked={value === true} onChange={(e) => set(e.target.checked)} />
    case 'metric': {
      const fallback = metrics.find((m) => m.default_sort)
      return (
        <Select {...ids} value={text} onChange={(e) => set(e.target.value)}>
          <option value="">{fallback ? `${metricLabel(fallback)} (default)` : 'Default'}</option>
          {metrics.filter((m) => m !== fallback).map((m) => <option key={m.id} value={m.id}>{metricLabel(m)}</option>)}
        </Select>
      )
    }
    case 'models':
      return (
        <Select {...ids} multiple size={6} value={Array.isArray(value) ? value : []}
          onChange={(e) => set([...e.target.selectedOptions].map((o) => o.value))}>
          {available.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
        </Select>
      )
    case 'model':
      return (
        <Select {...ids} value={text} onChange={(e) => set(e.target.value)}>
          <option value="">Default</option>
          {available.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
        </Select>
      )
    case 'choice':
      return (
        <Select {...ids} value={text} onChange={(e) => set(e.target.value)}>
          {(param.choices ?? []).map((c) => <option key={String(c)} value={String(c)}>{String(c)}</option>)}
        </Select>
      )
    case 'space':
      return <Textarea {...ids} rows={3} placeholder='{"max_depth": {"low": 2, "high": 12}}' value={text} onChange={(e) => set(e.target.value)} />
    default:
      return <Input {...ids} value={text} placeholder={param.kind === 'weights' ? 'e.g. 2, 1, 1' : undefined} onChange={(e) => set(e.target.value)} />
  }
}

function hint(param: PlanParam, value: PlanFormValue | undefined): string {
  if (param.kind === 'models' && Array.isArray(value) && value.length) return `${value.length} selected`
  if (param.kind === 'models') return `${param.description} (Ctrl/⌘-click to pick some.)`
  return param.description ?? ''
}

export function PlanParamsForm({ params, values, onChange, models, metrics, problems = {}, title }: Props) {
  if (params.length === 0) return null
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
      {title && <legend className="px-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">{title}</legend>}
      {params.map((p) => (
        <Field key={p.name} label={paramLabel(p)} hint={hint(p, values[p.name])} error={problems[p.name] ?? null}>
          {(ids) => <Control param={p} value={values[p.name]} set={(v) => onChange({ ...values, [p.name]: v })}
            models={models} metrics={metrics} ids={ids} />}
        </Field>
      ))}
    </fieldset>
  )
}
