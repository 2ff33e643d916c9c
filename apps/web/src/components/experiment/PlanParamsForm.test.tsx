import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'

import type { MetricInfo, PlanParam } from '@/api/types'
import { formParams, initialValues, planParamsBody, takesSource, type PlanFormValues } from '@/components/experiment/planParams'
import { PlanParamsForm } from '@/components/experiment/PlanParamsForm'
import { models, plans } from '@/test/fixtures'

const metrics: MetricInfo[] = [
  { id: 'Accuracy', name: 'Accuracy', greater_is_better: true, default_sort: true },
  { id: 'AUC', name: 'Area under the ROC curve', greater_is_better: true, default_sort: false },
  { id: 'Prec.', name: 'Precision', greater_is_better: true, default_sort: false },
]
const plan = (id: string) => plans.find((p) => p.id === id)!

function Harness({ params, onBody }: { params: PlanParam[]; onBody: (b: Record<string, unknown>) => void }) {
  const [values, setValues] = useState<PlanFormValues>(initialValues(params))
  return (
    <PlanParamsForm params={params} values={values} models={models} metrics={metrics}
      onChange={(next) => { setValues(next); onBody(planParamsBody(params, next).body) }} />
  )
}

describe('plan params from /describe/plans', () => {
  it('sends the metric id (never its display name) and nothing left at its default', async () => {
    let sent: Record<string, unknown> = {}
    render(<Harness params={formParams(plan('compare'))} onBody={(b) => { sent = b }} />)
    const sort = screen.getByLabelText('Sort by')
    expect([...(sort as HTMLSelectElement).options].map((o) => o.value)).toEqual(['', 'AUC', 'Prec.'])
    expect(screen.getByRole('option', { name: 'Accuracy (default)' })).toBeInTheDocument()
    await userEvent.selectOptions(sort, 'Area under the ROC curve (AUC)')
    expect(sent).toEqual({ sort: 'AUC' })
    expect(screen.getByLabelText('Best models to name')).toHaveValue(1) // shown, not sent
  })

  it('leaves the source run and its models to the page, and says which plans take them', () => {
    expect(plans.filter(takesSource).map((p) => p.id)).toEqual(['tune', 'ensemble', 'blend', 'stack'])
    expect(formParams(plan('blend')).map((p) => p.name)).toEqual(['method', 'weights', 'sort'])
  })

  it('parses numbers, weights and a search space, and names what is wrong', () => {
    const tune = formParams(plan('tune'))
    expect(planParamsBody(tune, { n_trials: '40', search_space: '{"max_depth": {"low": 2, "high": 9}}' }).body)
      .toEqual({ n_trials: 40, search_space: { max_depth: { low: 2, high: 9 } } })
    expect(planParamsBody(tune, { n_trials: '0', search_space: '[1]' }).problems).toEqual({
      n_trials: 'Must be more than 0.',
      search_space: 'A JSON object: {"param": {"low": 1, "high": 10}} or {"param": ["a", "b"]}.',
    })
    const blend = formParams(plan('blend'))
    expect(planParamsBody(blend, { method: 'soft', weights: '1, -2' }).problems).toEqual({ weights: 'Numbers ≥ 0, separated by commas.' })
  })
})
