/**
 * A plan's keywords as a form (`GET /describe/plans`): which ones the user fills in, what the
 * form holds while typing (text), and the `plan_params` a submission sends — only what differs
 * from the engine's default. No parameter name is known here, only the kinds the engine declares
 * (podium/engine/run/plans.py): int, float, metric, models, model, choice, bool, weights, space,
 * and run / source_model / source_models, which name models of a finished run and are filled in
 * by the page that offers the plan (the run page), never typed.
 */
import type { PlanInfo, PlanParam } from '@/api/types'

/** Kinds that point at a finished run's models: set by the run page, not by the form. */
export const SOURCE_KINDS: ReadonlySet<string> = new Set(['run', 'source_model', 'source_models'])

/** What the form holds per parameter: text for numbers, lists and JSON, a list for multi-selects. */
export type PlanFormValue = string | boolean | string[]
export type PlanFormValues = Record<string, PlanFormValue>

/** True when the plan improves models of a finished run (it takes `source_run_id`). */
export function takesSource(plan: PlanInfo): boolean {
  return plan.params.some((p) => p.kind === 'run')
}

/** The parameters a user fills in (the source references left out). */
export function formParams(plan: PlanInfo): PlanParam[] {
  return (plan.params as PlanParam[]).filter((p) => !SOURCE_KINDS.has(p.kind))
}

/** The form's starting values: every default shown as it would be sent. */
export function initialValues(params: PlanParam[]): PlanFormValues {
  const out: PlanFormValues = {}
  for (const p of params) {
    const d = p.default
    if (p.kind === 'bool') out[p.name] = d === true
    else if (p.kind === 'models') out[p.name] = Array.isArray(d) ? d.map(String) : []
    else if (p.kind === 'space' && d && typeof d === 'object') out[p.name] = JSON.stringify(d)
    else if (p.kind === 'weights' && Array.isArray(d)) out[p.name] = d.join(', ')
    else out[p.name] = d === null || d === undefined ? '' : String(d)
  }
  return out
}

type Parsed = { value?: unknown; problem?: string }

function parseNumber(param: PlanParam, text: string): Parsed {
  const n = Number(text)
  if (!Number.isFinite(n)) return { problem: 'Enter a number.' }
  if (param.kind === 'int' && !Number.isInteger(n)) return { problem: 'Enter a whole number.' }
  if (n <= 0) return { problem: 'Must be more than 0.' }
  return { value: n }
}

function parseWeights(text: string): Parsed {
  const parts = text.split(',').map((t) => t.trim()).filter(Boolean)
  const numbers = parts.map(Number)
  if (numbers.some((n) => !Number.isFinite(n) || n < 0)) return { problem: 'Numbers ≥ 0, separated by commas.' }
  return { value: numbers }
}

function parseSpace(text: string): Parsed {
  try {
    const value: unknown = JSON.parse(text)
    if (value && typeof value === 'object' && !Array.isArray(value)) return { value }
  } catch {
    // fall through to the problem below
  }
  return { problem: 'A JSON object: {"param": {"low": 1, "high": 10}} or {"param": ["a", "b"]}.' }
}

/** One value as sent (undefined: not sent), or the problem with what was typed. */
export function parseValue(param: PlanParam, raw: PlanFormValue | undefined): Parsed {
  if (raw === undefined) return {}
  if (param.kind === 'bool') return { value: raw === true }
  if (Array.isArray(raw)) return raw.length ? { value: raw } : {}
  const text = String(raw).trim()
  if (!text) return {}
  if (param.kind === 'int' || param.kind === 'float') return parseNumber(param, text)
  if (param.kind === 'weights') return parseWeights(text)
  if (param.kind === 'space') return parseSpace(text)
  return { value: text }
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}

/** `plan_params` from the form (defaults left out) and the problems by parameter name. */
export function planParamsBody(params: PlanParam[], values: PlanFormValues): { body: Record<string, unknown>; problems: Record<string, string> } {
  const body: Record<string, unknown> = {}
  const problems: Record<string, string> = {}
  for (const p of params) {
    const parsed = parseValue(p, values[p.name])
    if (parsed.problem) problems[p.name] = parsed.problem
    else if (parsed.value !== undefined && !same(parsed.value, p.default ?? null)) body[p.name] = parsed.value
  }
  return { body, problems }
}

const LABELS: Record<string, string> = {
  models: 'Models',
  sort: 'Sort by',
  n_select: 'Best models to name',
  budget_s: 'Time budget (seconds)',
  model_time_limit_s: 'Time limit per model (seconds)',
  n_trials: 'Trials',
  search_space: 'Search space (JSON)',
  method: 'Method',
  n_estimators: 'Estimators',
  weights: 'Weights',
  meta_model: 'Meta model',
  passthrough: 'Give the meta model the features too',
}

/** A parameter's label: a readable name for the known ones, else its name made readable. */
export function paramLabel(param: PlanParam): string {
  const known = LABELS[param.name]
  if (known) return known
  const words = param.name.replace(/_s$/, ' (seconds)').replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Short names: a select in a narrow panel cuts longer ones; the plan's description (`describe`)
 * says what it does, under the select. */
const PLAN_LABELS: Record<string, string> = {
  auto: 'Auto',
  compare: 'Compare models',
  create: 'Train one model',
  setup: 'Check data',
  tune: 'Tune',
  ensemble: 'Ensemble',
  blend: 'Blend',
  stack: 'Stack',
}

export function planLabel(id: string): string {
  return PLAN_LABELS[id] ?? id
}
