/**
 * One <select> for both kinds of data: workspace uploads first (value = the data source id),
 * bundled samples below (value = `sklearn:<name>`). `parseDataChoice` maps it back to the two
 * backend fields.
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

interface Props {
  id?: string
  value: string
  onChange: (value: string) => void
  uploads: DataSource[]
  samples: SampleInfo[]
  /** Label of an empty first option (e.g. "Experiment's data"); omitted when not given. */
  emptyLabel?: string
  required?: boolean
  'aria-describedby'?: string
}

export function DataSourcePicker({ value, onChange, uploads, samples, emptyLabel, ...rest }: Props) {
  return (
    <Select {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{emptyLabel ?? 'Choose data…'}</option>
      <optgroup label="Uploads">
        {uploads.length === 0 && <option disabled>No uploads yet</option>}
        {uploads.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name} ({d.kind}{d.n_rows ? `, ${d.n_rows.toLocaleString('en-US')} rows` : ''})
          </option>
        ))}
      </optgroup>
      <optgroup label="Samples">
        {samples.map((s) => (
          <option key={s.id} value={`${SAMPLE_PREFIX}${s.id}`}>
            {SAMPLE_PREFIX}{s.id} — {s.name} ({s.task})
          </option>
        ))}
      </optgroup>
    </Select>
  )
}
