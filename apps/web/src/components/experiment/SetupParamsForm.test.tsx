import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'

import type { SetupParam } from '@/api/types'
import {
  SetupParamsForm, withoutColumn, withParam, withPreselected, type FormColumn, type ParamValues,
} from '@/components/experiment/SetupParamsForm'
import { setupParams } from '@/test/fixtures'

const twoColumns: FormColumn[] = [{ name: 'age', kind: 'numeric' }, { name: 'plan', kind: 'categorical' }]

/** Column parameters that name the kinds they accept, as forecasting's do. */
const kindParams: SetupParam[] = [
  { name: 'when_col', kind: 'column', group: 'Data', default: null, accepts: ['datetime'], required: true, description: 'Times' },
  { name: 'extra_cols', kind: 'column', group: 'Data', default: [], accepts: ['numeric'], required: false, description: 'Numbers' },
  { name: 'group_col', kind: 'column', group: 'Data', default: null, accepts: null, required: false, description: 'Any' },
]
const mixed: FormColumn[] = [
  { name: 'day', kind: 'datetime' }, { name: 'sales', kind: 'numeric' }, { name: 'price', kind: 'numeric' },
  { name: 'store', kind: 'categorical' }, { name: 'note', kind: 'text' },
]

function Harness({ onValues, params = setupParams, columns = twoColumns }: {
  onValues: (v: ParamValues) => void
  params?: SetupParam[]
  columns?: FormColumn[]
}) {
  const [values, setValues] = useState<ParamValues>({})
  return (
    <SetupParamsForm
      params={params}
      values={values}
      columns={columns}
      onChange={(v) => {
        setValues(v)
        onValues(v)
      }}
    />
  )
}

describe('SetupParamsForm', () => {
  it('renders every described parameter with its default, grouped', () => {
    render(<Harness onValues={() => {}} />)
    expect(screen.getByRole('group', { name: 'Validation' })).toBeInTheDocument()
    expect(screen.getByLabelText('Zeta folds')).toHaveValue(5)
    expect(screen.getByLabelText('Omega ratio')).toHaveValue(0.7)
    expect(screen.getByLabelText('Kappa scale')).toBeChecked()
    expect(screen.getByLabelText('Impute how')).toHaveValue('mean')
    expect(screen.getByLabelText('Ignore col')).toHaveValue('')
    expect(screen.getByText('Train share')).toBeInTheDocument()
  })

  it('reports only the values the user changed, and drops a value set back to its default', async () => {
    const user = userEvent.setup()
    let last: ParamValues = {}
    render(<Harness onValues={(v) => (last = v)} />)
    await user.click(screen.getByLabelText('Kappa scale'))
    await user.selectOptions(screen.getByLabelText('Impute how'), 'median')
    await user.selectOptions(screen.getByLabelText(/Ignore col/), 'plan')
    expect(last).toEqual({ kappa_scale: false, impute_how: 'median', ignore_col: 'plan' })
    await user.selectOptions(screen.getByLabelText(/Impute how/), 'mean')
    expect(last).toEqual({ kappa_scale: false, ignore_col: 'plan' })
  })

  it('renders a list-valued column parameter as a multi-select', async () => {
    const user = userEvent.setup()
    let last: ParamValues = {}
    render(<Harness onValues={(v) => (last = v)} />)
    await user.selectOptions(screen.getByLabelText('Skip cols'), ['age', 'plan'])
    expect(last).toEqual({ skip_cols: ['age', 'plan'] })
    await user.deselectOptions(screen.getByLabelText(/Skip cols/), ['age', 'plan'])
    expect(last).toEqual({})
  })

  it('flags out-of-range numbers next to the field', async () => {
    const user = userEvent.setup()
    render(<Harness onValues={() => {}} />)
    const folds = screen.getByLabelText('Zeta folds')
    await user.clear(folds)
    await user.type(folds, '40')
    expect(screen.getByText('Must be at most 20.')).toBeInTheDocument()
  })

  it('offers a column parameter only the columns of the kinds it accepts', () => {
    render(<Harness onValues={() => {}} params={kindParams} columns={mixed} />)
    const offered = (label: string | RegExp) => [...(screen.getByLabelText(label) as HTMLSelectElement).options].map((o) => o.value)
    expect(offered('Extra cols')).toEqual(['sales', 'price'])
    expect(offered(/When col/)).toEqual(['', 'day'])
    expect(offered('Group col')).toEqual(['', 'day', 'sales', 'price', 'store', 'note'])
  })

  it('pre-selects the one matching column of a required single-column parameter', () => {
    let last: ParamValues = {}
    render(<Harness onValues={(v) => (last = v)} params={kindParams} columns={mixed} />)
    expect(screen.getByLabelText(/When col/)).toHaveValue('day')
    expect(last).toEqual({ when_col: 'day' })
  })

  it('withPreselected leaves a set value, several matches, optional and list parameters alone', () => {
    const twoDates = [...mixed, { name: 'shipped', kind: 'datetime' }]
    expect(withPreselected(kindParams, {}, mixed)).toEqual({ when_col: 'day' })
    const set: ParamValues = { when_col: 'other' }
    expect(withPreselected(kindParams, set, mixed)).toBe(set)
    const none: ParamValues = {}
    expect(withPreselected(kindParams, none, twoDates)).toBe(none)
    expect(withPreselected(kindParams, none, undefined)).toBe(none)
    expect(withPreselected(kindParams, none, [{ name: 'sales', kind: 'numeric' }])).toBe(none)
  })

  it('withoutColumn drops a column (the new target) from every column setting', () => {
    const values: ParamValues = { skip_cols: ['age', 'plan'], ignore_col: 'plan', zeta_folds: 3 }
    expect(withoutColumn(values, setupParams, 'plan')).toEqual({ skip_cols: ['age'], zeta_folds: 3 })
    expect(withoutColumn({ skip_cols: ['plan'] }, setupParams, 'plan')).toEqual({})
    expect(withoutColumn(values, setupParams, 'other')).toEqual(values)
  })

  it('withParam keeps the default out of the payload', () => {
    const p = setupParams[0]!
    expect(withParam({}, p, 5)).toEqual({})
    expect(withParam({}, p, 3)).toEqual({ zeta_folds: 3 })
    expect(withParam({ zeta_folds: 3 }, p, undefined)).toEqual({})
  })
})
