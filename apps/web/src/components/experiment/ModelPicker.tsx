/** Model <select> from `describe.models(task)`; unavailable models are disabled, "(install required)". */
import type { ModelInfo } from '@/api/types'
import { Select } from '@/components/ui/form'

interface Props {
  id?: string
  value: string
  onChange: (value: string) => void
  models: ModelInfo[]
  required?: boolean
  'aria-describedby'?: string
}

export function ModelPicker({ value, onChange, models, ...rest }: Props) {
  return (
    <Select {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Choose a model…</option>
      {models.map((m) => (
        <option key={m.id} value={m.id} disabled={!m.is_available} title={m.reason ?? undefined}>
          {m.name} ({m.id}){m.is_available ? '' : ' (install required)'}
        </option>
      ))}
    </Select>
  )
}
