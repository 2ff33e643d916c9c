/**
 * A settings form rendered entirely from `describe.setup_params(task)`: no parameter name is
 * known here. `values` holds only what the user changed; everything else shows its default.
 * A column parameter offers only the chosen data's columns of the kinds it `accepts`.
 */
import { Fragment, useEffect } from 'react'

import type { ColumnSchema, SetupParam, SetupParamValue } from '@/api/types'
import { Field, Input, Select } from '@/components/ui/form'

export type ParamValues = Record<string, SetupParamValue>
/** A column of the chosen data as the form needs it: its name and inferred kind. */
export type FormColumn = Pick<ColumnSchema, 'name' | 'kind'>

interface Props {
  params: SetupParam[]
  values: ParamValues
  onChange: (next: ParamValues) => void
  /** Columns of the chosen data (name and kind), for `column` parameters. */
  columns?: FormColumn[]
}

/** Problem with one value (out of range, not a number), or null. */
export function paramProblem(param: SetupParam, value: SetupParamValue | undefined): string | null {
  if (value === undefined || value === null) return null
  if (param.kind === 'int' || param.kind === 'float') {
    if (typeof value !== 'number' || Number.isNaN(value)) return 'Enter a number.'
    if (param.kind === 'int' && !Number.isInteger(value)) return 'Enter a whole number.'
    if (param.min !== null && param.min !== undefined && value < param.min) return `Must be at least ${param.min}.`
    if (param.max !== null && param.max !== undefined && value > param.max) return `Must be at most ${param.max}.`
  }
  return null
}

/** True when every user-set value is acceptable. */
export function paramsValid(params: SetupParam[], values: ParamValues): boolean {
  return params.every((p) => paramProblem(p, values[p.name]) === null)
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (Array.isArray(a) && Array.isArray(b) && JSON.stringify(a) === JSON.stringify(b))
}

/** Set or clear one value; a value equal to the default is not user intent, so it is dropped. */
export function withParam(values: ParamValues, param: SetupParam, value: SetupParamValue | undefined): ParamValues {
  const next = { ...values }
  if (value === undefined || sameValue(value, param.default) || (value === '' && param.default === null)) {
    delete next[param.name]
  } else {
    next[param.name] = value
  }
  return next
}

/** Each column setting keeps the columns `keep` allows; one left with none is cleared. */
function keepColumns(values: ParamValues, params: SetupParam[] | undefined, keep: (p: SetupParam, c: string) => boolean): ParamValues {
  const next = { ...values }
  for (const p of params ?? []) {
    const v = next[p.name]
    if (p.kind !== 'column' || v === undefined || v === null) continue
    if (Array.isArray(v)) {
      const kept = v.filter((c) => keep(p, c))
      if (kept.length !== v.length) {
        if (kept.length) next[p.name] = kept
        else delete next[p.name]
      }
    } else if (typeof v === 'string' && !keep(p, v)) {
      delete next[p.name]
    }
  }
  return next
}

/** Column settings name feature columns: the target is never one (the server refuses it too). */
export function withoutColumn(values: ParamValues, params: SetupParam[] | undefined, column: string): ParamValues {
  return keepColumns(values, params, (_p, c) => c !== column)
}

/** Column settings re-checked against newly chosen data: each keeps only the columns that data
 * has of the kinds it accepts (none when its columns are not known, e.g. a sample), so a
 * required one is pre-selected again from the new table. Other settings stay. */
export function withColumnsOf(values: ParamValues, params: SetupParam[] | undefined, columns: FormColumn[] | undefined): ParamValues {
  return keepColumns(values, params, (p, c) => columnsFor(p, columns)?.includes(c) ?? false)
}

/** The column names `param` offers: those of the kinds it accepts (any when it names none);
 * undefined when the data's columns are not known. */
export function columnsFor(param: SetupParam, columns: FormColumn[] | undefined): string[] | undefined {
  if (!columns?.length) return undefined
  const kinds = param.accepts
  return columns.filter((c) => !kinds?.length || kinds.includes(c.kind)).map((c) => c.name)
}

/** A required one-column parameter with no value and exactly one matching column gets that
 * column; the same `values` object when there is nothing to pre-select. */
export function withPreselected(params: SetupParam[], values: ParamValues, columns: FormColumn[] | undefined): ParamValues {
  let next = values
  for (const p of params) {
    if (p.kind !== 'column' || !p.required || Array.isArray(p.default) || p.default != null) continue
    if (values[p.name] !== undefined) continue
    const offered = columnsFor(p, columns)
    if (offered?.length === 1) next = withParam(next, p, offered[0])
  }
  return next
}

/** Several columns: a multi-select when the columns are known, else a comma-separated list. */
function ColumnsControl({ value, set, columns, ids }: {
  value: string[]
  set: (v: string[]) => void
  columns?: string[]
  ids: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }
}) {
  if (columns) {
    return (
      <Select {...ids} multiple size={Math.max(1, Math.min(5, columns.length))} value={value}
        onChange={(e) => set([...e.target.selectedOptions].map((o) => o.value))}>
        {columns.map((c) => <option key={c} value={c}>{c}</option>)}
      </Select>
    )
  }
  return (
    <Input {...ids} value={value.join(', ')} placeholder="col_a, col_b"
      onChange={(e) => set(e.target.value.split(',').map((x) => x.trim()).filter(Boolean))} />
  )
}

/** A parameter name for reading: `ignore_features` → `Ignore features`. */
export function paramLabel(name: string): string {
  const words = name.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function ParamControl({ param, value, set, columns, ids }: {
  param: SetupParam
  value: SetupParamValue
  set: (v: SetupParamValue | undefined) => void
  columns?: string[]
  ids: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }
}) {
  switch (param.kind) {
    case 'bool':
      return (
        <input {...ids} type="checkbox" checked={value === true} onChange={(e) => set(e.target.checked)}
          className="size-4 rounded border-slate-300 text-teal-700 focus:ring-teal-600" />
      )
    case 'int':
    case 'float':
      return (
        <Input {...ids} type="number" inputMode={param.kind === 'int' ? 'numeric' : 'decimal'}
          step={param.kind === 'int' ? 1 : 'any'} min={param.min ?? undefined} max={param.max ?? undefined}
          value={typeof value === 'number' ? value : ''} placeholder={param.default === null ? 'auto' : undefined}
          onChange={(e) => set(e.target.value === '' ? undefined : Number(e.target.value))} />
      )
    case 'enum':
      return (
        <Select {...ids} value={value === null ? '' : String(value)}
          onChange={(e) => {
            const choice = param.choices?.find((c) => String(c) === e.target.value)
            set(choice === undefined ? null : (choice as SetupParamValue))
          }}>
          {param.default === null && <option value="">auto</option>}
          {(param.choices ?? []).map((c) => <option key={String(c)} value={String(c)}>{String(c)}</option>)}
        </Select>
      )
    case 'column':
      if (Array.isArray(param.default) || Array.isArray(value)) {
        return <ColumnsControl value={Array.isArray(value) ? value : []} set={set} columns={columns} ids={ids} />
      }
      if (columns) {
        return (
          <Select {...ids} value={value === null ? '' : String(value)} onChange={(e) => set(e.target.value || null)}>
            <option value="">— none —</option>
            {columns.map((c) => <option key={c} value={c}>{c}</option>)}
          </Select>
        )
      }
      return <Input {...ids} value={value === null ? '' : String(value)} onChange={(e) => set(e.target.value || null)} />
    default:
      return <Input {...ids} value={value === null ? '' : String(value)} onChange={(e) => set(e.target.value)} />
  }
}

export function SetupParamsForm({ params, values, onChange, columns }: Props) {
  useEffect(() => {
    const next = withPreselected(params, values, columns)
    if (next !== values) onChange(next)
  }, [params, values, columns, onChange])
  const groups = new Map<string, SetupParam[]>()
  for (const p of params) groups.set(p.group || 'General', [...(groups.get(p.group || 'General') ?? []), p])

  return (
    <div className="space-y-5" data-testid="setup-params-form">
      {[...groups.entries()].map(([group, items]) => (
        <fieldset key={group} className="rounded-md border border-slate-200 p-4">
          <legend className="px-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">{group}</legend>
          <div className="grid gap-4 sm:grid-cols-2">
            {items.map((param) => {
              const user = values[param.name]
              const value = user === undefined ? (param.default as SetupParamValue) : user
              const changed = user !== undefined
              return (
                <Fragment key={param.name}>
                  <Field
                    label={<>{paramLabel(param.name)}{changed && <span className="ml-1 font-normal text-teal-700">(changed)</span>}</>}
                    hint={param.description}
                    error={paramProblem(param, user)}
                  >
                    {(ids) => (
                      <ParamControl param={param} value={value} columns={columnsFor(param, columns)} ids={ids}
                        set={(v) => onChange(withParam(values, param, v))} />
                    )}
                  </Field>
                </Fragment>
              )
            })}
          </div>
        </fieldset>
      ))}
    </div>
  )
}
