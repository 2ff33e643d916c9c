/**
 * One <select> for both kinds of data: workspace uploads first (value = the data source id),
 * bundled samples below (value = `sklearn:<name>`). `parseDataChoice` maps it back to the two
 * backend fields. Given the experiment (`usableFor`), sources it cannot use stay listed but
 * disabled, each saying why (the server would refuse them with a 422).
 */
import type { DataSource, SampleInfo } from '@/api/types'
import { Select } from '@/components/ui/form'

export const SAMPLE_PREFIX = 'sklearn:'

export type DataChoice = { data_source_id: string } | { sklearn_dataset: string } | Record<string, never>

/** The backend field for a picker value; empty for "use the default". */
export function parseDataChoice(value: string): DataChoice {
  if (!value) return {}
  if (value.startsWith(SAMPLE_PREFIX)) return { sklearn_dataset: value.slice(SAMPLE_PREFIX.length) }
  return { data_source_id: value }
}

/** Picker value for an experiment/run's data fields. */
export function dataChoiceValue(x: { data_source_id?: string | null; sklearn_dataset?: string | null }): string {
  if (x.sklearn_dataset) return `${SAMPLE_PREFIX}${x.sklearn_dataset}`
  return x.data_source_id ?? ''
}

/** Why an upload cannot feed an experiment predicting `target`, or null when it can (an
 * experiment without a target, e.g. clustering, takes any table: the server checks its settings). */
export function uploadUnusable(upload: DataSource, target: string): string | null {
  if (!target) return null
  return upload.columns.some((c) => c.name === target) ? null : `no column '${target}'`
}

/** Why a sample cannot feed an experiment (`task`, `target`), or null when it can. */
export function sampleUnusable(sample: SampleInfo, task: string, target: string): string | null {
  if (!target) return null
  if (sample.target !== target) return `its target is '${sample.target}', not '${target}'`
  if (sample.task !== task) return `a ${sample.task} table, not ${task}`
  return null
}

interface Props {
  id?: string
  value: string
  onChange: (value: string) => void
  uploads: DataSource[]
  samples: SampleInfo[]
  /** Label of an empty first option (e.g. "Experiment's data"); omitted when not given. */
  emptyLabel?: string
  /** The experiment's task and target: sources it cannot use are disabled, with the reason. */
  usableFor?: { task: string; target: string }
  required?: boolean
  'aria-describedby'?: string
}

export function DataSourcePicker({ value, onChange, uploads, samples, emptyLabel, usableFor, ...rest }: Props) {
  return (
    <Select {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{emptyLabel ?? 'Choose data…'}</option>
      <optgroup label="Uploads">
        {uploads.length === 0 && <option disabled>No uploads yet</option>}
        {uploads.map((d) => {
          const why = usableFor ? uploadUnusable(d, usableFor.target) : null
          return (
            <option key={d.id} value={d.id} disabled={why !== null}>
              {d.name} ({d.kind}{d.n_rows ? `, ${d.n_rows.toLocaleString('en-US')} rows` : ''})
              {why && ` — unusable: ${why}`}
            </option>
          )
        })}
      </optgroup>
      <optgroup label="Samples">
        {samples.map((s) => {
          const why = usableFor ? sampleUnusable(s, usableFor.task, usableFor.target) : null
          return (
            <option key={s.id} value={`${SAMPLE_PREFIX}${s.id}`} disabled={why !== null}>
              {SAMPLE_PREFIX}{s.id} — {s.name} ({s.task}){why && ` — unusable: ${why}`}
            </option>
          )
        })}
      </optgroup>
    </Select>
  )
}
