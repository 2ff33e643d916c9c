import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'

import type { MetricInfo } from '@/api/types'
import { CompareOptions, compareParams, EMPTY_COMPARE, type CompareChoice } from '@/components/experiment/CompareOptions'
import { models } from '@/test/fixtures'

const metrics: MetricInfo[] = [
  { id: 'Accuracy', name: 'Accuracy', greater_is_better: true, default_sort: true },
  { id: 'AUC', name: 'Area under the ROC curve', greater_is_better: true, default_sort: false },
  { id: 'Prec.', name: 'Precision', greater_is_better: true, default_sort: false },
]

function Harness({ onParams }: { onParams: (p: Record<string, unknown>) => void }) {
  const [value, setValue] = useState<CompareChoice>(EMPTY_COMPARE)
  return (
    <CompareOptions value={value} models={models} metrics={metrics}
      onChange={(next) => { setValue(next); onParams(compareParams(next)) }} />
  )
}

describe('CompareOptions', () => {
  it('sends the metric id (never its display name) as plan_params.sort', async () => {
    let sent: Record<string, unknown> = {}
    render(<Harness onParams={(p) => { sent = p }} />)
    const sort = screen.getByLabelText('Sort by')
    const values = [...(sort as HTMLSelectElement).options].map((o) => o.value)
    expect(values).toEqual(['', 'AUC', 'Prec.'])
    expect(screen.getByRole('option', { name: 'Area under the ROC curve (AUC)' })).toBeInTheDocument()
    expect(screen.getByRole('option', { name: 'Accuracy (default)' })).toBeInTheDocument()
    await userEvent.selectOptions(sort, 'Area under the ROC curve (AUC)')
    expect(sent).toEqual({ sort: 'AUC' })
  })
})
