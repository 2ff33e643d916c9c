/**
 * The experiment's configuration card body: task, target, data, then every setup parameter of the
 * task (from `describe.setup_params(task)`), labelled for reading — the values chosen in the wizard
 * marked "set", the others showing the default the engine applies. A stored parameter the
 * describe list no longer names is still shown, under its own name.
 */
import type { ReactNode } from 'react'

import type { Experiment, SetupParam } from '@/api/types'
import { paramLabel } from '@/components/experiment/SetupParamsForm'
import { displayValue } from '@/lib/format'

interface Props {
  experiment: Experiment
  data: ReactNode
  /** The task's setup parameters; undefined while loading (then only the stored ones show). */
  params: SetupParam[] | undefined
}

interface Line {
  key: string
  label: string
  value: unknown
  set: boolean
  hint?: string
}

const APART = new Set(['task', 'target'])

/** One line per setup parameter: the stored value where the wizard set one, else the default. */
export function configLines(held: Record<string, unknown>, params: SetupParam[] | undefined): Line[] {
  const known = (params ?? []).filter((p) => !APART.has(p.name))
  const lines: Line[] = known.map((p) => {
    const set = Object.hasOwn(held, p.name)
    return { key: p.name, label: paramLabel(p.name), value: set ? held[p.name] : p.default, set, hint: p.description }
  })
  const names = new Set(known.map((p) => p.name))
  for (const [name, value] of Object.entries(held)) {
    if (!names.has(name)) lines.push({ key: name, label: paramLabel(name), value, set: true })
  }
  return lines
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.length ? value.map((v) => displayValue(v)).join(', ') : 'none'
  if (value === null || value === undefined) return 'auto'
  return displayValue(value)
}

export function ExperimentConfig({ experiment, data, params }: Props) {
  const lines = configLines(experiment.setup_params ?? {}, params)
  return (
    <dl aria-label="Experiment configuration" className="grid grid-cols-[minmax(8rem,14rem)_1fr] gap-x-4 gap-y-1.5 text-sm">
      <dt className="font-medium text-slate-500">Task</dt>
      <dd className="font-mono text-xs text-slate-800">{experiment.task}</dd>
      <dt className="font-medium text-slate-500">Target</dt>
      <dd className="font-mono text-xs text-slate-800">{experiment.target}</dd>
      <dt className="font-medium text-slate-500">Data</dt>
      <dd className="font-mono text-xs text-slate-800">{data}</dd>
      {lines.map((l) => (
        <div key={l.key} className="contents" data-testid={`config-${l.key}`}>
          <dt className="truncate font-medium text-slate-500" title={l.hint ?? l.key}>{l.label}</dt>
          <dd className={l.set ? 'font-mono text-xs break-all text-slate-900' : 'font-mono text-xs break-all text-slate-400'}>
            {show(l.value)}
            <span className="ml-2 font-sans text-[11px] text-slate-400">{l.set ? 'set' : 'default'}</span>
          </dd>
        </div>
      ))}
    </dl>
  )
}
