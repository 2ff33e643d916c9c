/** Building blocks of the new-experiment wizard: numbered steps, task picker, target field, settings. */
import type { ReactNode } from 'react'

import type { SetupParam, TaskGuess, TaskId, TaskInfo } from '@/api/types'
import { SetupParamsForm, type FormColumn, type ParamValues } from '@/components/experiment/SetupParamsForm'
import { Button } from '@/components/ui/Button'
import { Card } from '@/components/ui/Card'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Input, Select } from '@/components/ui/form'

export function Step({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  const badge = 'mr-2 inline-flex size-5 items-center justify-center rounded-full bg-teal-700 text-xs text-white'
  return (
    <Card id={`step-${n}`} title={<span><span className={badge}>{n}</span>{title}</span>}>
      {children}
    </Card>
  )
}

/** A select of the data's columns when they are known, else free text. */
export function TargetInput({ ids, columns, value, onChange, required = true }: {
  ids: { id: string; 'aria-describedby'?: string }
  columns: string[]
  value: string
  onChange: (v: string) => void
  required?: boolean
}) {
  if (!columns.length) return <Input {...ids} required={required} value={value} onChange={(e) => onChange(e.target.value)} />
  return (
    <Select {...ids} required={required} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{required ? 'Choose a column…' : 'None'}</option>
      {columns.map((c) => <option key={c} value={c}>{c}</option>)}
    </Select>
  )
}

export function TaskPicker({ tasks, value, onChange }: { tasks: TaskInfo[]; value: string; onChange: (t: TaskId) => void }) {
  return (
    <fieldset className="grid gap-3 sm:grid-cols-3">
      <legend className="sr-only">Task</legend>
      {tasks.map((t) => (
        <label key={t.id} className="flex cursor-pointer gap-2 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-teal-600 has-[:checked]:bg-teal-50">
          <input type="radio" name="task" value={t.id} checked={value === t.id} onChange={() => onChange(t.id as TaskId)} className="mt-0.5" />
          <span><span className="block font-medium">{t.name}</span><span className="text-xs text-slate-500">{t.description}</span></span>
        </label>
      ))}
    </fieldset>
  )
}

/** Why a task was pre-selected from the target column, and whether the user overrode it. */
export function TaskSuggestion({ guess, chosen, tasks }: { guess: TaskGuess; chosen: string; tasks: TaskInfo[] }) {
  const name = tasks.find((t) => t.id === guess.task)?.name ?? guess.task
  return (
    <p className="mt-3 text-xs text-slate-500" data-testid="task-suggestion">
      {chosen === guess.task
        ? <>Pre-selected <span className="font-medium text-slate-700">{name}</span>: {guess.reason}. Pick another task to override.</>
        : <>Suggested {name} ({guess.reason}); you chose another task.</>}
    </p>
  )
}

export function SettingsStep({ task, params, loading, error, values, onChange, columns }: {
  task: string
  params: SetupParam[] | undefined
  loading: boolean
  error: unknown
  values: ParamValues
  onChange: (v: ParamValues) => void
  columns?: FormColumn[]
}) {
  const changed = Object.keys(values).length
  return (
    <Step n={3} title="Settings">
      {!task && <p className="text-sm text-slate-500">Pick a task to see its settings.</p>}
      {task && loading && <Spinner />}
      <ErrorNotice error={error} />
      {params && (
        <>
          <div className="mb-3 flex items-center justify-between text-xs text-slate-500">
            <span>Defaults apply unless you change them. {changed} changed.</span>
            <Button variant="ghost" size="sm" onClick={() => onChange({})} disabled={!changed}>Reset to defaults</Button>
          </div>
          <SetupParamsForm params={params} values={values} onChange={onChange} columns={columns} />
        </>
      )}
    </Step>
  )
}
